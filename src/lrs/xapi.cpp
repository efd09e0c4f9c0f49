#include "lrs/xapi.hpp"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "http/multipart.hpp"
#include "http/problem.hpp"

namespace staffroom::lrs {

namespace json = boost::json;
using http::HandlerResult;
using http::Request;
using http::Response;

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

// Query strings and form bodies as decoded pairs. Forms decode '+' as a
// space; query strings keep it (an unencoded '+' in an email stays).
Result<Params> parse_params(std::string_view text, bool form) {
  Params out;
  if (text.empty()) return out;
  auto parsed = boost::urls::parse_query(text);
  if (!parsed) return Error::bad_request("the query string is not valid percent-encoding");
  boost::urls::encoding_opts opts;
  opts.space_as_plus = form;
  for (auto p : *parsed) {
    std::string key = p.key.decode(opts);
    std::string value = p.has_value ? p.value.decode(opts) : std::string();
    for (const auto& [k, v] : out)
      if (k == key) return Error::bad_request("the parameter '" + key + "' is given twice");
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

const std::string* find_param(const Params& params, std::string_view name) {
  for (const auto& [k, v] : params)
    if (k == name) return &v;
  return nullptr;
}

Status allow_only(const Params& params, std::initializer_list<std::string_view> allowed, std::string_view resource) {
  for (const auto& [k, v] : params) {
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string hint;
    for (auto a : allowed)
      if (staffroom::json::lower_ascii(a) == staffroom::json::lower_ascii(k)) hint = a;
    std::string names;
    for (auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
    return Error::bad_request("'" + k + "' is not a parameter of " + std::string(resource) +
                              (hint.empty() ? "" : "; parameter names are case-sensitive: '" + hint + "'") +
                              (names.empty() ? "" : " (it takes " + names + ")"));
  }
  return {};
}

Error bad(std::string detail) {
  return Error::bad_request(std::move(detail));
}

// Statement problems are 400 in xAPI; the fields stay named.
Error as_xapi(Error e) {
  if (e.code == ErrorCode::Validation) {
    e.code = ErrorCode::BadRequest;
    if (e.detail.empty()) {
      e.detail = "the statement is not valid xAPI: ";
      for (std::size_t i = 0; i < e.fields.size() && i < 3; ++i)
        e.detail += (i ? "; " : "") + e.fields[i].field + " " + e.fields[i].message;
      if (e.fields.size() > 3) e.detail += "; and " + std::to_string(e.fields.size() - 3) + " more";
    }
  }
  return e;
}

Result<bool> boolean_param(const Params& params, std::string_view name) {
  const auto* v = find_param(params, name);
  if (!v) return false;
  if (*v == "true") return true;
  if (*v == "false") return false;
  return bad(std::string(name) + " must be true or false");
}

std::string random_boundary() {
  // Alphanumeric, so it is safe in any parser (some build regexes from it).
  std::string out = "xapi";
  for (char c : crypto::hex(crypto::random_bytes(12))) out += c;
  return out;
}

struct Body {
  json::value statements;
  std::map<std::string, std::string> parts;  // sha2 -> content
};

Result<json::value> parse_json(std::string_view text, json::storage_ptr sp = {}) {
  std::error_code ec;
  json::value v = json::parse(text, ec, std::move(sp));
  if (ec) return bad("the body is not valid JSON (" + ec.message() + ")");
  return v;
}

// The statements are parsed into `sp`: a request's own arena, which the
// checked statements share and which is freed at once when the request
// ends. Given as a plain pointer (not shared, deallocation trivial), it lets
// the values' destructors skip walking every member; everything made from
// the statements must therefore be gone before the handler returns.
Result<Body> read_body(const Request& request, const json::storage_ptr& sp) {
  const auto media = http::parse_media_type(request.header("content-type").value_or(""));
  // Made in sp too: assigning a value of another storage would copy it.
  Body body{json::value(sp), {}};
  if (media.type == "application/json") {
    SR_ASSIGN(body.statements, parse_json(request.body, sp));
    return body;
  }
  if (media.type != "multipart/mixed")
    return bad("send statements as Content-Type application/json, or multipart/mixed with attachments");
  const auto boundary = media.param("boundary");
  if (!boundary || boundary->empty()) return bad("the multipart/mixed Content-Type has no boundary parameter");
  SR_ASSIGN(auto parts, http::parse_multipart(request.body, *boundary));
  const auto first = http::parse_media_type(parts.front().header("content-type").value_or(""));
  if (first.type != "application/json")
    return bad("the first part of a multipart/mixed request holds the statements as application/json");
  SR_ASSIGN(body.statements, parse_json(parts.front().body, sp));
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const auto& p = parts[i];
    const std::string where = "multipart part " + std::to_string(i + 1);
    const auto hash = p.header("x-experience-api-hash");
    if (!hash || hash->empty()) return bad(where + " has no X-Experience-API-Hash header");
    const auto encoding = p.header("content-transfer-encoding");
    if (!encoding || staffroom::json::lower_ascii(*encoding) != "binary")
      return bad(where + " must have Content-Transfer-Encoding: binary");
    std::string sha2 = staffroom::json::lower_ascii(*hash);
    if (sha2.size() == 64 && crypto::sha256_hex(p.body) != sha2)
      return bad(where + ": its content does not match its X-Experience-API-Hash");
    if (body.parts.contains(sha2)) continue;  // the same content twice is one attachment
    body.parts.emplace(std::move(sha2), p.body);
  }
  return body;
}

// Checks a body's statements: one object, or (when a batch is allowed) a list.
// The statements are taken over from v, which is not read afterwards.
Result<std::vector<CheckedStatement>> check_statements(json::value& v, Version version, bool batch) {
  std::vector<FieldError> errors;
  std::vector<CheckedStatement> out;
  if (v.is_array() && batch) {
    auto& list = v.as_array();
    if (list.empty()) return bad("the batch is empty; send at least one statement");
    out.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto s = check_statement(std::move(list[i]), version, "[" + std::to_string(i) + "].", errors);
      if (s) out.push_back(std::move(*s));
    }
  } else if (v.is_object()) {
    if (auto s = check_statement(std::move(v), version, "", errors)) out.push_back(std::move(*s));
  } else {
    return bad(batch ? "send a statement (a JSON object) or a list of statements"
                     : "send one statement (a JSON object)");
  }
  if (!errors.empty()) return as_xapi(Error::validation(std::move(errors)));
  return out;
}

// `more` cursors carry the query, the position and the fixed end of the set.
std::string encode_cursor(const store::Query& q, const std::string& format, bool attachments, std::int64_t last_seq) {
  json::object c;
  if (q.agent) c["g"] = *q.agent;
  if (q.verb) c["v"] = *q.verb;
  if (q.activity) c["a"] = *q.activity;
  if (q.registration) c["r"] = *q.registration;
  if (q.related_agents) c["rg"] = true;
  if (q.related_activities) c["ra"] = true;
  if (q.since) c["s"] = *q.since;
  if (q.until) c["u"] = *q.until;
  if (q.ascending) c["asc"] = true;
  if (q.max_seq) c["m"] = *q.max_seq;
  c["p"] = last_seq;
  c["l"] = q.limit;
  if (format != "exact") c["f"] = format;
  if (attachments) c["at"] = true;
  return crypto::base64url(json::serialize(c));
}

struct Cursor {
  store::Query query;
  std::string format = "exact";
  bool attachments = false;
};

Result<Cursor> decode_cursor(std::string_view token) {
  auto text = crypto::base64url_decode(token);
  std::error_code ec;
  json::value v = text ? json::parse(*text, ec) : json::value();
  if (!text || ec || !v.is_object()) return bad("more is not a link this LRS gave out; start the query again");
  const auto& o = v.as_object();
  Cursor c;
  auto str = [&](std::string_view k) -> std::optional<std::string> {
    if (auto* x = o.if_contains(k); x && x->is_string()) return std::string(x->as_string());
    return std::nullopt;
  };
  auto num = [&](std::string_view k) -> std::optional<std::int64_t> {
    if (auto* x = o.if_contains(k); x && x->is_int64()) return x->as_int64();
    return std::nullopt;
  };
  auto flag = [&](std::string_view k) { return o.contains(k); };
  c.query.agent = str("g");
  c.query.verb = str("v");
  c.query.activity = str("a");
  c.query.registration = str("r");
  c.query.related_agents = flag("rg");
  c.query.related_activities = flag("ra");
  c.query.since = num("s");
  c.query.until = num("u");
  c.query.ascending = flag("asc");
  c.query.max_seq = num("m");
  c.query.after_seq = num("p");
  c.query.limit = static_cast<int>(num("l").value_or(100));
  c.format = str("f").value_or("exact");
  c.attachments = flag("at");
  if (!c.query.after_seq || c.query.limit < 1 || c.query.limit > 10000)
    return bad("more is not a link this LRS gave out; start the query again");
  return c;
}

std::vector<std::string> attachment_hashes(const json::object& statement) {
  std::vector<std::string> out;
  auto collect = [&](const json::object& s) {
    auto* a = s.if_contains("attachments");
    if (!a || !a->is_array()) return;
    for (const auto& x : a->as_array())
      if (x.is_object())
        if (auto* h = x.as_object().if_contains("sha2"); h && h->is_string())
          out.push_back(staffroom::json::lower_ascii(h->as_string()));
  };
  collect(statement);
  if (auto* ob = statement.if_contains("object"); ob && ob->is_object()) collect(ob->as_object());
  return out;
}

}  // namespace

XapiEndpoint::XapiEndpoint(LrsService& lrs, XapiConfig config, std::function<int(const std::string&)> limit_address)
    : lrs_(lrs),
      config_(std::move(config)),
      limit_address_(std::move(limit_address)),
      client_limiter_(config_.rate_per_client, config_.burst_per_client) {}

http::Response XapiEndpoint::handle(Request& request, std::string_view& route_label) {
  route_label = "/xapi/(unknown)";
  // 1.0.3's alternate request syntax: POST ?method=X with the headers and
  // the content as form fields. 2.0 refused it.
  std::optional<std::string> version_text_asked;
  std::optional<Error> early;
  if (auto q = parse_params(request.query, false); q.ok()) {
    if (const auto* method = find_param(*q, "method")) {
      const auto asked = request.header("x-experience-api-version");
      const auto v = asked ? negotiate_version(*asked) : std::nullopt;
      const auto media = http::parse_media_type(request.header("content-type").value_or(""));
      if (v && *v == "2.0.0") {
        early = bad("xAPI 2.0 has no alternate request syntax; send the method, headers and body as they are");
      } else if (request.method != "POST") {
        early = bad("the alternate request syntax is a POST with ?method=GET, PUT, POST or DELETE");
      } else if (q->size() != 1) {
        early = bad("with the alternate request syntax, every parameter but method goes in the form body");
      } else if (*method != "GET" && *method != "PUT" && *method != "POST" && *method != "DELETE" &&
                 *method != "HEAD") {
        early = bad("method must be GET, PUT, POST or DELETE");
      } else if (media.type != "application/x-www-form-urlencoded") {
        early = bad("the alternate request syntax sends its form as application/x-www-form-urlencoded");
      } else if (auto form = parse_params(request.body, true); !form.ok()) {
        early = form.error();
      } else {
        Params rest;
        std::optional<std::string> content;
        for (auto& [k, val] : *form) {
          const std::string lower = staffroom::json::lower_ascii(k);
          if (lower == "authorization" || lower == "x-experience-api-version" || lower == "content-type" ||
              lower == "if-match" || lower == "if-none-match") {
            bool replaced = false;
            for (auto& h : request.headers)
              if (h.name == lower) {
                h.value = val;
                replaced = true;
              }
            if (!replaced) request.headers.push_back({lower, val});
          } else if (lower == "content-length") {
            continue;
          } else if (k == "content") {
            content = val;
          } else {
            rest.emplace_back(k, val);
          }
        }
        request.method = *method;
        request.body = content.value_or("");
        // The form's own type says nothing of the content: it is JSON unless
        // the form names another Content-Type.
        bool typed = false;
        for (const auto& [k, val] : *form)
          if (staffroom::json::lower_ascii(k) == "content-type") typed = true;
        if (!typed) {
          for (auto& h : request.headers)
            if (h.name == "content-type") h.value = content ? "application/json" : "";
        }
        std::string query;
        for (const auto& [k, val] : rest) {
          query += (query.empty() ? "" : "&") + boost::urls::encode(k, boost::urls::unreserved_chars) + "=" +
                   boost::urls::encode(val, boost::urls::unreserved_chars);
        }
        request.query = query;
        if ((*method == "PUT" || *method == "POST") && !content)
          early = bad("the alternate request syntax needs the body in the form field 'content'");
        // The version may come in the form; 2.0 still refuses the syntax.
        const auto form_version = request.header("x-experience-api-version");
        const auto negotiated_form = form_version ? negotiate_version(*form_version) : std::nullopt;
        if (negotiated_form && *negotiated_form == "2.0.0")
          early = bad("xAPI 2.0 has no alternate request syntax; send the method, headers and body as they are");
      }
    }
  }

  const auto asked = request.header("x-experience-api-version");
  const auto negotiated = asked ? negotiate_version(*asked) : std::nullopt;
  const std::string answered = negotiated.value_or(config_.default_version);
  const bool about = request.path == "/xapi/about" || request.path == "/xapi/about/";
  HandlerResult result = Error::internal("unset");
  if (early) {
    result = *early;
  } else if (about) {
    route_label = "/xapi/about";
    if (request.method != "GET" && request.method != "HEAD") {
      result = Error{ErrorCode::MethodNotAllowed, "the about resource answers GET", {}, 0, {"GET", "HEAD"}};
    } else {
      json::array versions;
      for (auto v : kVersions) versions.emplace_back(v);
      result = Response::json(200, json::object{{"version", std::move(versions)}, {"extensions", json::object{}}});
    }
  } else if (!asked) {
    result = bad("send the header X-Experience-API-Version: 1.0.3 or 2.0.0");
  } else if (!negotiated) {
    result = bad("X-Experience-API-Version '" + std::string(asked->substr(0, 20)) +
                 "' is not spoken here; send 1.0.3 or 2.0.0");
  } else {
    result = dispatch(request, route_label, *negotiated == "1.0.3" ? Version::V1_0_3 : Version::V2_0_0);
  }

  Response res;
  if (result.ok()) {
    res = std::move(result).value();
  } else {
    Error e = as_xapi(std::move(result).error());
    if (e.code == ErrorCode::Internal) {
      log::error("xapi request failed", {{"request_id", request.request_id}, {"error", e.detail}});
      e.detail = "something went wrong on our side; the request id is " + request.request_id;
    } else if (e.code == ErrorCode::Unavailable) {
      log::warn("xapi request unavailable", {{"request_id", request.request_id}, {"error", e.detail}});
      e.detail = "the service is busy or its database cannot be reached; try again in a moment";
      if (e.retry_after_seconds == 0) e.retry_after_seconds = 2;
    }
    res = http::problem_response(e, request.path, request.request_id);
    if (e.code == ErrorCode::Unauthenticated) res.set_header("www-authenticate", "Basic realm=\"xAPI\"");
  }
  res.set_header("x-experience-api-version", answered);
  // Every answer to a statement query says how far it is consistent, errors
  // included, so a client polling for its statement can tell how long to wait.
  if (route_label == "/xapi/statements" && (request.method == "GET" || request.method == "HEAD") &&
      !res.header("x-experience-api-consistent-through"))
    res.set_header("x-experience-api-consistent-through", format_timestamp(lrs_.consistent_through()));
  if (!res.header("cache-control")) res.set_header("cache-control", "no-store");
  return res;
}

HandlerResult XapiEndpoint::dispatch(Request& request, std::string_view& route_label, Version version) {
  std::string path = request.path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();

  // HTTP Basic with an LRS client's key and secret.
  const auto auth = request.header("authorization");
  std::optional<Client> client;
  if (auth && auth->size() > 6 && staffroom::json::lower_ascii(auth->substr(0, 6)) == "basic ") {
    const auto decoded = crypto::base64_decode(staffroom::json::trim(auth->substr(6)));
    if (decoded) {
      const auto colon = decoded->find(':');
      if (colon != std::string::npos) {
        SR_ASSIGN(client, lrs_.authenticate(decoded->substr(0, colon), decoded->substr(colon + 1)));
      }
    }
  }
  if (!client) {
    if (int wait = limit_address_(request.remote_address); wait > 0)
      return Error::rate_limited("too many requests from your address; slow down and retry", wait);
    return Error::unauthenticated(auth ? "the LRS key and secret are not valid, or the client was revoked"
                                       : "send the LRS client's key and secret with HTTP Basic authentication");
  }
  if (int wait = client_limiter_.take(client->key); wait > 0)
    return Error::rate_limited("this LRS client sends too many requests; slow down and retry", wait);

  if (path == "/xapi/statements") {
    route_label = "/xapi/statements";
    return statements(request, *client, version);
  }
  if (path == "/xapi/activities/state") {
    route_label = "/xapi/activities/state";
    return documents(request, *client, version, DocumentKind::State);
  }
  if (path == "/xapi/activities/profile") {
    route_label = "/xapi/activities/profile";
    return documents(request, *client, version, DocumentKind::ActivityProfile);
  }
  if (path == "/xapi/agents/profile") {
    route_label = "/xapi/agents/profile";
    return documents(request, *client, version, DocumentKind::AgentProfile);
  }
  if (path == "/xapi/activities") {
    route_label = "/xapi/activities";
    return activities(request, *client);
  }
  if (path == "/xapi/agents") {
    route_label = "/xapi/agents";
    return agents(request, *client);
  }
  route_label = "/xapi/(unknown)";
  return Error::not_found("there is no xAPI resource " + path +
                          "; this LRS serves /xapi/statements, /xapi/activities, /xapi/agents and /xapi/about");
}

HandlerResult XapiEndpoint::statements(Request& request, const Client& client, Version version) {
  const std::string& m = request.method;
  if (m == "GET" || m == "HEAD") {
    if (!client.has_scope("statements/read") && !client.has_scope("statements/read/mine"))
      return Error::forbidden("this LRS client may not read statements (it needs the scope statements/read/mine)");
    return get_statements(request, client);
  }
  if (m == "PUT" || m == "POST") {
    if (!client.has_scope("statements/write"))
      return Error::forbidden("this LRS client may not write statements (it needs the scope statements/write)");
    return m == "PUT" ? put_statement(request, client, version) : post_statements(request, client, version);
  }
  return Error{ErrorCode::MethodNotAllowed,
               "the statements resource answers GET, HEAD, PUT and POST",
               {},
               0,
               {"GET", "HEAD", "PUT", "POST"}};
}

HandlerResult XapiEndpoint::put_statement(Request& request, const Client& client, Version version) {
  SR_ASSIGN(auto params, parse_params(request.query, false));
  SR_TRY(allow_only(params, {"statementId"}, "PUT /statements"));
  const auto* id = find_param(params, "statementId");
  if (!id) return bad("PUT /statements needs ?statementId=<the statement's UUID>; use POST to let the LRS pick one");
  if (!is_uuid(*id)) return bad("statementId must be a UUID");
  // Not shared: values in it are not even destroyed one by one (see read_body).
  json::monotonic_resource arena(2 * request.body.size());
  SR_ASSIGN(auto body, read_body(request, &arena));
  if (!body.statements.is_object()) return bad("PUT /statements takes one statement (a JSON object)");
  auto& object = body.statements.as_object();
  if (auto* given = object.if_contains("id")) {
    if (given->is_string() && staffroom::json::lower_ascii(given->as_string()) != staffroom::json::lower_ascii(*id))
      return bad("the statement's id " + std::string(given->as_string()) + " differs from statementId " + *id);
  } else {
    // The id leads, as clients write it.
    json::object with_id(&arena);
    with_id["id"] = *id;
    for (auto& kv : object) with_id[kv.key()] = kv.value();
    object = std::move(with_id);
  }
  SR_ASSIGN(auto checked, check_statements(body.statements, version, false));
  SR_TRY(lrs_.store_statements(client, version, std::move(checked), body.parts));
  return Response::no_content();
}

HandlerResult XapiEndpoint::post_statements(Request& request, const Client& client, Version version) {
  SR_ASSIGN(auto params, parse_params(request.query, false));
  SR_TRY(allow_only(params, {}, "POST /statements"));
  // Not shared: values in it are not even destroyed one by one (see read_body).
  json::monotonic_resource arena(2 * request.body.size());
  SR_ASSIGN(auto body, read_body(request, &arena));
  SR_ASSIGN(auto checked, check_statements(body.statements, version, true));
  SR_ASSIGN(auto ids, lrs_.store_statements(client, version, std::move(checked), body.parts));
  json::array out;
  out.reserve(ids.size());
  for (auto& id : ids) out.emplace_back(id);
  return Response::json(200, out);
}

HandlerResult XapiEndpoint::get_statements(Request& request, const Client& client) {
  // Read before querying: everything stored up to this moment is visible.
  const EpochMs consistent = lrs_.consistent_through();
  auto finish = [&](HandlerResult r) -> HandlerResult {
    if (r.ok()) r->set_header("x-experience-api-consistent-through", format_timestamp(consistent));
    return r;
  };
  auto params = parse_params(request.query, false);
  if (!params.ok()) return params.error();
  SR_TRY(
      allow_only(*params,
                 {"statementId", "voidedStatementId", "agent", "verb", "activity", "registration", "related_activities",
                  "related_agents", "since", "until", "limit", "format", "attachments", "ascending", "more"},
                 "GET /statements"));
  std::string format = "exact";
  bool attachments = false;
  store::Query q;
  const bool single = find_param(*params, "statementId") || find_param(*params, "voidedStatementId");
  if (const auto* more = find_param(*params, "more")) {
    if (params->size() != 1) return bad("follow a more link as it is, without other parameters");
    SR_ASSIGN(auto cursor, decode_cursor(*more));
    q = cursor.query;
    format = cursor.format;
    attachments = cursor.attachments;
  } else {
    if (const auto* f = find_param(*params, "format")) {
      if (*f != "exact" && *f != "ids" && *f != "canonical") return bad("format must be exact, ids or canonical");
      format = *f;
    }
    SR_ASSIGN(attachments, boolean_param(*params, "attachments"));
    if (single) {
      for (const auto& [k, v] : *params)
        if (k != "statementId" && k != "voidedStatementId" && k != "format" && k != "attachments")
          return bad("statementId and voidedStatementId take only format and attachments besides; '" + k +
                     "' is not allowed with them");
      if (find_param(*params, "statementId") && find_param(*params, "voidedStatementId"))
        return bad("ask for statementId or voidedStatementId, not both");
    } else {
      if (const auto* a = find_param(*params, "agent")) {
        SR_ASSIGN(q.agent, agent_key(*a));
      }
      if (const auto* v = find_param(*params, "verb")) {
        if (!is_iri(*v)) return bad("verb must be a verb's IRI, like http://adlnet.gov/expapi/verbs/attended");
        q.verb = *v;
      }
      if (const auto* a = find_param(*params, "activity")) {
        if (!is_iri(*a)) return bad("activity must be an activity's IRI");
        q.activity = *a;
      }
      if (const auto* r = find_param(*params, "registration")) {
        if (!is_uuid(*r)) return bad("registration must be a UUID");
        q.registration = staffroom::json::lower_ascii(*r);
      }
      SR_ASSIGN(q.related_agents, boolean_param(*params, "related_agents"));
      SR_ASSIGN(q.related_activities, boolean_param(*params, "related_activities"));
      SR_ASSIGN(q.ascending, boolean_param(*params, "ascending"));
      for (auto [name, target] : {std::pair{"since", &q.since}, std::pair{"until", &q.until}}) {
        if (const auto* t = find_param(*params, name)) {
          *target = parse_timestamp(*t);
          if (!*target) return bad(std::string(name) + " must be an ISO 8601 date-time, like 2026-08-01T14:00:00Z");
        }
      }
      q.limit = config_.page_size;
      if (const auto* l = find_param(*params, "limit")) {
        std::int64_t n = -1;
        if (!l->empty() && l->size() < 10 &&
            std::all_of(l->begin(), l->end(), [](char c) { return c >= '0' && c <= '9'; }))
          n = std::stoll(*l);
        if (n < 0) return bad("limit must be a whole number, 0 for the server's page size");
        if (n > 0) q.limit = static_cast<int>(std::min<std::int64_t>(n, config_.max_page_size));
      }
      SR_ASSIGN(q.max_seq, lrs_.max_seq());
    }
  }
  const auto languages = accept_languages(request.header("accept-language").value_or(""));
  auto render = [&](const std::string& body, std::vector<std::string>* hashes) -> Result<std::string> {
    if (format == "exact" && !hashes) return body;
    SR_ASSIGN(auto v, parse_json(body));
    if (!v.is_object()) return Error::internal("a stored statement is not an object");
    if (hashes) {
      auto h = attachment_hashes(v.as_object());
      hashes->insert(hashes->end(), h.begin(), h.end());
    }
    if (format == "exact") return body;
    return staffroom::json::serialize(format == "ids" ? ids_format(v.as_object())
                                                      : canonical_format(v.as_object(), languages));
  };

  std::vector<std::string> hashes;
  std::string json_text;
  std::optional<EpochMs> last_modified;
  if (single) {
    const bool voided = find_param(*params, "voidedStatementId") != nullptr;
    const std::string id = voided ? *find_param(*params, "voidedStatementId") : *find_param(*params, "statementId");
    if (!is_uuid(id))
      return finish(bad((voided ? "voidedStatementId" : "statementId") + std::string(" must be a UUID")));
    auto found = lrs_.get_statement(client, id, voided);
    if (!found.ok()) return finish(found.error());
    SR_ASSIGN(json_text, render(found->body, attachments ? &hashes : nullptr));
    last_modified = found->stored;
  } else {
    SR_ASSIGN(auto page, lrs_.query_statements(client, q));
    json_text = "{\"statements\":[";
    for (std::size_t i = 0; i < page.rows.size(); ++i) {
      SR_ASSIGN(auto one, render(page.rows[i].body, attachments ? &hashes : nullptr));
      if (i) json_text += ',';
      json_text += one;
    }
    json_text += "],\"more\":";
    std::string more;
    if (page.more) more = "/xapi/statements?more=" + encode_cursor(q, format, attachments, page.rows.back().seq);
    json_text += json::serialize(json::value(more));
    json_text += '}';
  }

  Response res;
  if (attachments) {
    std::sort(hashes.begin(), hashes.end());
    hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
    SR_ASSIGN(auto contents, lrs_.attachment_contents(hashes));
    std::vector<http::Part> parts;
    parts.push_back({{{"Content-Type", "application/json"}}, json_text});
    for (auto& [sha2, content] : contents)
      parts.push_back({{{"Content-Type", "application/octet-stream"},
                        {"Content-Transfer-Encoding", "binary"},
                        {"X-Experience-API-Hash", sha2}},
                       std::move(content)});
    const std::string boundary = random_boundary();
    res = Response::text(200, http::write_multipart(parts, boundary), "multipart/mixed; boundary=" + boundary);
  } else {
    res = Response::text(200, std::move(json_text), "application/json");
  }
  if (last_modified) res.set_header("last-modified", format_http_date(*last_modified));
  return finish(res);
}

namespace {

bool may_read(const Client& client) {
  return client.has_scope("statements/read") || client.has_scope("statements/read/mine") ||
         client.has_scope("documents");
}

Error read_only(std::string_view resource) {
  return Error{ErrorCode::MethodNotAllowed,
               "the " + std::string(resource) + " resource answers GET and HEAD",
               {},
               0,
               {"GET", "HEAD"}};
}

}  // namespace

HandlerResult XapiEndpoint::documents(Request& request, const Client& client, Version version, DocumentKind kind) {
  if (!client.has_scope("documents"))
    return Error::forbidden("this LRS client may not keep documents (it needs the scope documents)");
  const std::string& m = request.method;
  if (m != "GET" && m != "HEAD" && m != "PUT" && m != "POST" && m != "DELETE")
    return Error{ErrorCode::MethodNotAllowed,
                 "document resources answer GET, HEAD, PUT, POST and DELETE",
                 {},
                 0,
                 {"GET", "HEAD", "PUT", "POST", "DELETE"}};
  SR_ASSIGN(auto params, parse_params(request.query, false));
  const std::string id_name(id_param_name(kind));
  const std::string resource = kind == DocumentKind::State             ? "/activities/state"
                               : kind == DocumentKind::ActivityProfile ? "/activities/profile"
                                                                       : "/agents/profile";
  if (kind == DocumentKind::State) {
    SR_TRY(allow_only(params, {"activityId", "agent", "registration", "stateId", "since"}, resource));
  } else if (kind == DocumentKind::ActivityProfile) {
    SR_TRY(allow_only(params, {"activityId", "profileId", "since"}, resource));
  } else {
    SR_TRY(allow_only(params, {"agent", "profileId", "since"}, resource));
  }
  DocumentKey key;
  key.kind = kind;
  if (kind != DocumentKind::AgentProfile) {
    const auto* a = find_param(params, "activityId");
    if (!a) return bad(resource + " needs activityId");
    if (!is_iri(*a)) return bad("activityId must be an activity's IRI");
    key.activity_id = *a;
  }
  if (kind != DocumentKind::ActivityProfile) {
    const auto* a = find_param(params, "agent");
    if (!a) return bad(resource + " needs agent (a JSON Agent)");
    SR_ASSIGN(key.agent, agent_key(*a));
  }
  if (const auto* r = find_param(params, "registration")) {
    if (!is_uuid(*r)) return bad("registration must be a UUID");
    key.registration = staffroom::json::lower_ascii(*r);
  }
  if (const auto* id = find_param(params, id_name)) key.document_id = *id;
  const bool has_id = find_param(params, id_name) != nullptr;
  std::optional<EpochMs> since;
  if (const auto* t = find_param(params, "since")) {
    since = parse_timestamp(*t);
    if (!since) return bad("since must be an ISO 8601 date-time, like 2026-08-01T14:00:00Z");
  }
  Preconditions pre;
  if (auto h = request.header("if-match")) pre.if_match = std::string(*h);
  if (auto h = request.header("if-none-match")) pre.if_none_match = std::string(*h);

  if (m == "GET" || m == "HEAD") {
    if (!has_id) {
      SR_ASSIGN(auto ids, lrs_.document_ids(client, key, since));
      json::array out;
      out.reserve(ids.size());
      for (auto& id : ids) out.emplace_back(id);
      return Response::json(200, out);
    }
    if (since) return bad("since lists documents; leave it out when asking for one by " + id_name);
    SR_ASSIGN(auto doc, lrs_.get_document(client, key));
    Response res = Response::text(200, std::move(doc.content), doc.content_type);
    res.set_header("etag", doc.etag);
    res.set_header("last-modified", format_http_date(doc.updated));
    return res;
  }
  if (since) return bad("since is only for listing documents with GET");
  if (m == "DELETE") {
    if (!has_id && kind != DocumentKind::State) return bad("DELETE " + resource + " needs " + id_name);
    SR_TRY(lrs_.delete_documents(client, key, pre, version));
    return Response::no_content();
  }
  if (!has_id) return bad(m + " " + resource + " needs " + id_name);
  const std::string content_type(request.header("content-type").value_or("application/octet-stream"));
  SR_TRY(lrs_.write_document(client, key, content_type, request.body, pre, version, m == "POST"));
  return Response::no_content();
}

HandlerResult XapiEndpoint::activities(Request& request, const Client& client) {
  if (request.method != "GET" && request.method != "HEAD") return read_only("activities");
  if (!may_read(client)) return Error::forbidden("this LRS client may not read (it needs a read scope)");
  SR_ASSIGN(auto params, parse_params(request.query, false));
  SR_TRY(allow_only(params, {"activityId"}, "/activities"));
  const auto* id = find_param(params, "activityId");
  if (!id) return bad("/activities needs activityId");
  if (!is_iri(*id)) return bad("activityId must be an activity's IRI");
  SR_ASSIGN(auto definition, lrs_.activity_definition(client, *id));
  json::object out{{"objectType", "Activity"}, {"id", *id}};
  if (definition && !definition->empty()) out["definition"] = std::move(*definition);
  return Response::json(200, out);
}

HandlerResult XapiEndpoint::agents(Request& request, const Client& client) {
  if (request.method != "GET" && request.method != "HEAD") return read_only("agents");
  if (!may_read(client)) return Error::forbidden("this LRS client may not read (it needs a read scope)");
  SR_ASSIGN(auto params, parse_params(request.query, false));
  SR_TRY(allow_only(params, {"agent"}, "/agents"));
  const auto* text = find_param(params, "agent");
  if (!text) return bad("/agents needs agent (a JSON Agent)");
  SR_ASSIGN(auto key, agent_key(*text));
  const json::object agent = json::parse(*text).as_object();
  // A Person: every identifier and name the LRS knows for this agent, each
  // as a list.
  json::object person{{"objectType", "Person"}};
  std::optional<std::string> name;
  if (const auto* n = agent.if_contains("name"); n && n->is_string()) name = std::string(n->as_string());
  if (!name) {
    SR_ASSIGN(name, lrs_.agent_name(client, key));
  }
  if (name) person["name"] = json::array{json::value(*name)};
  for (auto ifi : {"mbox", "mbox_sha1sum", "openid", "account"})
    if (const auto* v = agent.if_contains(ifi)) person[ifi] = json::array{*v};
  return Response::json(200, person);
}

}  // namespace staffroom::lrs
