// The staffroom command: serve, migrate, admin create, demo, version.
#include <sys/resource.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <cmath>
#include <iostream>

#include "accounts/store.hpp"
#include "app/app.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "db/migrate.hpp"
#include "demo/demo.hpp"
#include "http/server.hpp"

using namespace staffroom;

namespace {

const char* kDefaultDb = "sqlite:var/staffroom.db";

int fail(const Error& e) {
  std::cerr << "error: " << e.detail << "\n";
  return e.code == ErrorCode::Validation || e.code == ErrorCode::BadRequest ? 2 : 1;
}

int run_migrate(const std::string& db_url) {
  auto db = db::Database::open(db_url, 1);
  if (!db.ok()) return fail(db.error());
  const bool tty = isatty(STDERR_FILENO);
  auto report = db::migrate(**db, [&](const db::Migration& m) {
    if (tty) std::cerr << "applying " << m.name << " ...\n";
  });
  if (!report.ok()) return fail(report.error());
  std::cout << boost::json::serialize(boost::json::object{
                   {"applied", boost::json::value_from(report->applied)},
                   {"version", static_cast<int>(db::embedded_migrations((*db)->dialect()).empty()
                                                    ? 0
                                                    : db::embedded_migrations((*db)->dialect()).back().version)}})
            << "\n";
  return 0;
}

std::optional<std::string> read_password_stdin() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int run_lrs_client_create(const std::string& db_url, const std::string& public_url, const std::string& org,
                          const std::string& name, const std::vector<std::string>& scopes) {
  app::AppConfig cfg;
  cfg.db_url = db_url;
  cfg.assets_dir = "";
  auto app = app::App::create(cfg);
  if (!app.ok()) return fail(app.error());
  auto created = (*app)->lrs().create_client(org, name, scopes.empty() ? lrs::default_scopes() : scopes, 0);
  if (!created.ok()) return fail(created.error());
  boost::json::array scope_list;
  for (const auto& s : created->client.scopes) scope_list.emplace_back(s);
  std::cout << boost::json::serialize(boost::json::object{{"id", created->client.id},
                                                          {"organization", org},
                                                          {"name", created->client.name},
                                                          {"key", created->client.key},
                                                          {"secret", created->secret},
                                                          {"scopes", std::move(scope_list)},
                                                          {"endpoint", public_url + "/xapi/"}})
            << "\n";
  return 0;
}

int run_admin_create(const std::string& db_url, const std::string& email, const std::string& role,
                     const std::string& scope_type, const std::string& scope_id, const std::string& name,
                     bool password_stdin) {
  app::AppConfig cfg;
  cfg.db_url = db_url;
  cfg.assets_dir = "";
  auto app = app::App::create(cfg);
  if (!app.ok()) return fail(app.error());
  std::optional<std::string> password;
  if (password_stdin) {
    password = read_password_stdin();
    if (!password) return fail(Error::bad_request("--password-stdin was given but nothing could be read"));
  }
  auto created = (*app)->accounts().create_with_role(email, name, password, role, scope_type, scope_id);
  if (!created.ok()) return fail(created.error());
  boost::json::object out{{"id", created->user.id}, {"email", created->user.email}, {"role", role}};
  if (created->generated_password) out["password"] = *created->generated_password;
  std::cout << boost::json::serialize(out) << "\n";
  return 0;
}

int run_award(const std::string& db_url, const std::string& public_url, const std::string& key_dir,
              const std::string& did_web, const std::string& slug, const credentials::AwardRequest& request) {
  app::AppConfig cfg;
  cfg.db_url = db_url;
  cfg.assets_dir = "";
  cfg.public_url = public_url;
  cfg.key_dir = key_dir;
  cfg.did_web = did_web;
  auto app = app::App::create(cfg);
  if (!app.ok()) return fail(app.error());
  auto issued = (*app)->credentials().award_as_system(slug, request);
  if (!issued.ok()) return fail(issued.error());
  std::cout << issued->document << "\n";
  return 0;
}

int run_keys_rotate(const std::string& db_url, const std::string& key_dir, const std::string& did_web) {
  app::AppConfig cfg;
  cfg.db_url = db_url;
  cfg.assets_dir = "";
  cfg.key_dir = key_dir;
  cfg.did_web = did_web;
  auto app = app::App::create(cfg);
  if (!app.ok()) return fail(app.error());
  auto keys = (*app)->credentials().keys();
  auto rotated = keys.rotate();
  if (!rotated.ok()) return fail(rotated.error());
  std::cout << boost::json::serialize(
                   boost::json::object{{"key", *rotated},
                                       {"did", keys.did(keys.current())},
                                       {"verification_method", keys.verification_method(keys.current())}})
            << "\n";
  return 0;
}

struct DemoAccount {
  const char* email;
  const char* name;
  const char* password;
  const char* role;
  const char* scope_type;
  const char* scope_id;
};
// Deterministic, documented demo sign-ins for a local try-out database.
constexpr DemoAccount kDemoAccounts[] = {
    {"organizer@staffroom.test", "Demo Organizer", "demo-organizer", "campaign_organizer", "campaign",
     "connected-educator-month-2012"},
    {"admin@staffroom.test", "Demo Site Admin", "demo-site-admin", "site_admin", "", ""},
    {"educator@staffroom.test", "Demo Educator", "demo-educator", "educator", "", ""},
    {"district@staffroom.test", "Demo District Admin", "demo-district", "educator", "", ""},
};

// The demo district: its credit policy (the example of docs/CREDIT.md), the
// district admin, and the demo educator as a member, so the credit pages
// have something to show.
constexpr const char* kDemoPolicy = R"({
  "format": "staffroom.credit-policy/1", "name": "Springfield professional learning credit",
  "effective_on": "2012-07-01", "time_zone": "America/New_York",
  "counts": {"formats": "all", "providers": "all", "themes": "all",
             "self_reported": {"counts": true, "formats": ["social_media_chat", "webinar", "forum_discussion",
                                                           "online_course"],
                               "requires_attestation": false, "min_reflection_words": 50}},
  "conversion": {"rounding": "nearest_quarter_hour", "hours_per_ceu": 10, "hours_per_semester_credit": 15,
                 "presenter_multiplier": 2, "facilitator_multiplier": 2},
  "tiers": [{"id": "knowledge", "name": "Knowledge", "level": 1, "deadline_days": 30,
             "requirements": [{"any_of": [{"kind": "host_attendance"}, {"kind": "survey"}]}]},
            {"id": "application", "name": "Application", "level": 2, "deadline_days": 365, "min_hours": 1,
             "requirements": [{"any_of": [{"kind": "reflection", "min_words": 300}, {"kind": "artifact"}]}]},
            {"id": "impact", "name": "Impact", "level": 3, "deadline_days": 1095, "approver_review": true,
             "requirements": [{"any_of": [{"kind": "artifact"}]}, {"any_of": [{"kind": "colleague_attestation"}]}]}],
  "caps": [{"applies_to": "format", "format": "social_media_chat", "period": "year", "max_hours": 10},
           {"applies_to": "self_reported", "period": "cycle", "max_hours": 30}],
  "renewal": {"required_hours": 100, "cycle_years": 5, "starts_on": "2010-07-01"}})";

// The campaign's achievements: one earned by hours of learning in the
// campaign (awarded by its rule), one a facilitator's badge awarded by hand,
// held by the demo educator so the backpack has something to show.
Status load_demo_achievements(app::App& app, const Identity& organizer, const Identity& educator) {
  if (app.credentials().achievement("connected-educator-2012", nullptr).ok()) return {};
  auto achievement = [&](const char* body) -> Status {
    auto created = app.credentials().create_achievement(organizer, boost::json::parse(body).as_object());
    if (!created.ok()) return created.error();
    return {};
  };
  SR_TRY(achievement(R"({
    "owner_type": "campaign", "owner": "connected-educator-month-2012", "slug": "connected-educator-2012",
    "name": "Connected Educator 2012",
    "description": "Took part in Connected Educator Month 2012: at least three hours of live online professional learning with its partner organizations.",
    "criteria": "Three hours of verified participation (check-ins, host attendance lists or xAPI reports) in the campaign's activities during August 2012.",
    "hours": 3, "tags": ["connected learning", "online professional learning"],
    "alignments": [{"target_name": "ISTE Standards for Educators: Learner", "target_url": "https://iste.org/standards/educators", "target_framework": "ISTE Standards", "target_code": "2.1"}],
    "rule": {"kind": "campaign_hours", "campaign": "connected-educator-month-2012", "hours": 3}})"));
  SR_TRY(achievement(R"({
    "owner_type": "campaign", "owner": "connected-educator-month-2012", "slug": "cem-2012-facilitator",
    "name": "Connected Educator Month facilitator",
    "description": "Facilitated a live online activity in Connected Educator Month 2012.",
    "criteria": "Facilitated or co-hosted at least one activity of the campaign, as its host organization reports.",
    "tags": ["facilitation"], "valid_days": 1825})"));
  auto awarded =
      app.credentials().award("cem-2012-facilitator", organizer,
                              {educator.email, "Facilitated the demo campaign's chat on formative assessment.", ""});
  if (!awarded.ok()) return awarded.error();
  return {};
}

Status load_demo_district(app::App& app) {
  auto identity = [&](const char* email, const char* password) -> Result<Identity> {
    SR_ASSIGN(auto signed_in, app.accounts().sign_in(email, password, "127.0.0.1"));
    // The demo addresses are documented, not real: they count as confirmed.
    SR_TRY(app.database().transaction([&](db::Connection& c) -> Status {
      return accounts::store::set_email_verified(c, signed_in.user.id, signed_in.user.email, now_ms()).ok()
                 ? Status{}
                 : Error::internal("could not confirm a demo address");
    }));
    SR_ASSIGN(auto who, app.accounts().authenticate_session(signed_in.session_token));
    if (!who) return Error::internal("demo sign-in failed");
    return *who;
  };
  SR_ASSIGN(auto admin, identity("district@staffroom.test", "demo-district"));
  SR_ASSIGN(auto educator, identity("educator@staffroom.test", "demo-educator"));
  SR_ASSIGN(auto organizer, identity("organizer@staffroom.test", "demo-organizer"));
  SR_TRY(load_demo_achievements(app, organizer, educator));
  if (app.districts().get("springfield", admin).ok()) return {};  // loaded by an earlier run
  districts::District d;
  d.slug = "springfield";
  d.name = "Springfield Public Schools";
  d.state = "OH";
  d.time_zone = "America/New_York";
  d.schools = {{0, "Lincoln Elementary"}, {0, "Evergreen Middle"}, {0, "Springfield High"}};
  SR_ASSIGN(auto created, app.districts().create(admin, d));
  SR_ASSIGN(auto joined, app.districts().join_by_code(educator, created.district.join_code));
  SR_TRY(app.districts().update_member("springfield", admin, joined.member.id,
                                       {std::nullopt, "Lincoln Elementary", std::nullopt}));
  SR_TRY(app.credit().save_policy("springfield", admin, boost::json::parse(kDemoPolicy)));
  return {};
}

int run_demo(const std::string& db_url) {
  app::AppConfig cfg;
  cfg.db_url = db_url;
  cfg.assets_dir = "";
  auto app = app::App::create(cfg);
  if (!app.ok()) return fail(app.error());
  const bool tty = isatty(STDERR_FILENO);
  boost::json::array accounts;
  for (const auto& a : kDemoAccounts) {
    if (tty) std::cerr << "demo account " << a.email << "\n";
    auto created =
        (*app)->accounts().create_with_role(a.email, a.name, std::string(a.password), a.role, a.scope_type, a.scope_id);
    if (!created.ok()) return fail(created.error());
    accounts.push_back(boost::json::object{{"email", a.email}, {"password", a.password}, {"role", a.role}});
  }
  // The demo campaigns, at the scale of Connected Educator Month 2012, once:
  // a later run leaves them as they are.
  const auto started = std::chrono::steady_clock::now();
  auto loaded = demo::load((*app)->database(), demo::Sizes{}, [tty](const std::string& step, int done, int total) {
    if (tty)
      std::cerr << "\r  demo " << step << " " << done << "/" << total << "   " << (done == total ? "\n" : "")
                << std::flush;
  });
  if (!loaded.ok()) return fail(loaded.error());
  if (auto district = load_demo_district(**app); !district.ok()) return fail(district.error());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string slug = demo::kCampaign;
  std::cout << boost::json::serialize(boost::json::object{{"accounts", accounts},
                                                          {"campaign", slug},
                                                          {"district", "springfield"},
                                                          {"created", loaded->created},
                                                          {"organizations", loaded->organizations},
                                                          {"activities", loaded->activities},
                                                          {"facilitators", loaded->people},
                                                          {"educators", loaded->educators},
                                                          {"registrations", loaded->registrations},
                                                          {"attendance_records", loaded->attendance},
                                                          {"milliseconds", static_cast<std::int64_t>(seconds * 1000)}})
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  crypto::init();
  CLI::App cli{"Staffroom: campaigns of online professional learning that count"};
  cli.require_subcommand(1);

  std::string db_url = kDefaultDb;
  auto add_db = [&](CLI::App* sub) {
    sub->add_option("--db", db_url, "Database: sqlite:PATH or postgresql://user@host:port/dbname")
        ->envname("STAFFROOM_DB")
        ->capture_default_str();
  };

  auto* serve = cli.add_subcommand("serve", "Serve the web app and the API");
  http::ServerConfig scfg;
  app::AppConfig acfg;
  std::string log_level = "info";
  long read_timeout_ms = 30000;
  serve->add_option("--listen", scfg.address, "Address to listen on")
      ->envname("STAFFROOM_LISTEN")
      ->capture_default_str();
  serve->add_option("--port", scfg.port, "Port (0 picks a free one)")->envname("STAFFROOM_PORT")->capture_default_str();
  add_db(serve);
  serve->add_option("--assets", acfg.assets_dir, "Folder of the built web app")
      ->envname("STAFFROOM_ASSETS")
      ->capture_default_str();
  serve->add_option("--public-url", acfg.public_url, "The address people use, for links in mail")
      ->envname("STAFFROOM_PUBLIC_URL")
      ->capture_default_str();
  serve->add_option("--threads", scfg.threads, "Worker threads")
      ->envname("STAFFROOM_THREADS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve->add_option("--db-pool", acfg.db_pool_size, "Database connections")
      ->envname("STAFFROOM_DB_POOL")
      ->check(CLI::Range(1, 512))
      ->capture_default_str();
  serve->add_option("--rate-limit", acfg.rate_limit_per_second, "Requests a second per client address (0: no limit)")
      ->envname("STAFFROOM_RATE_LIMIT")
      ->capture_default_str();
  serve
      ->add_option("--xapi-rate-limit", acfg.xapi.rate_per_client,
                   "xAPI requests a second per LRS client (0: no limit)")
      ->envname("STAFFROOM_XAPI_RATE_LIMIT")
      ->capture_default_str();
  serve
      ->add_option("--xapi-default-version", acfg.xapi.default_version,
                   "xAPI version named in answers to requests that name none (they are refused)")
      ->envname("STAFFROOM_XAPI_DEFAULT_VERSION")
      ->check(CLI::IsMember({"1.0.3", "2.0.0"}))
      ->capture_default_str();
  serve->add_option("--read-timeout-ms", read_timeout_ms, "Time a client has to send a whole request")
      ->envname("STAFFROOM_READ_TIMEOUT_MS")
      ->check(CLI::Range(100L, 3600000L))
      ->capture_default_str();
  serve
      ->add_option("--key-dir", acfg.key_dir,
                   "Folder of the issuer keys (default: 'keys' beside a SQLite database, else var/keys)")
      ->envname("STAFFROOM_KEY_DIR");
  serve->add_option("--did-web", acfg.did_web, "Issue credentials as did:web:DOMAIN (serves /.well-known/did.json)")
      ->envname("STAFFROOM_DID_WEB");
  acfg.award_every_ms = 2000;
  serve->add_option("--award-every-ms", acfg.award_every_ms, "How often award rules look at new evidence")
      ->envname("STAFFROOM_AWARD_EVERY_MS")
      ->check(CLI::Range(100, 3600000))
      ->capture_default_str();
  serve->add_option("--log-level", log_level, "debug, info, warn or error")
      ->envname("STAFFROOM_LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();

  auto* migrate = cli.add_subcommand("migrate", "Apply database migrations and exit");
  add_db(migrate);

  auto* admin = cli.add_subcommand("admin", "Administer accounts");
  admin->require_subcommand(1);
  auto* admin_create = admin->add_subcommand("create", "Create an account (or find it) and grant it a role");
  std::string email, role = "site_admin", scope_type, scope_id, name;
  bool password_stdin = false;
  admin_create->add_option("--email", email, "Email of the account")->required();
  admin_create->add_option("--role", role, "educator, org_staff, district_admin, campaign_organizer or site_admin")
      ->capture_default_str();
  admin_create->add_option("--scope-type", scope_type, "organization, district or campaign, for scoped roles");
  admin_create->add_option("--scope-id", scope_id, "Slug or id of the scope");
  admin_create->add_option("--name", name, "Display name (default: the part of the email before @)");
  admin_create->add_flag("--password-stdin", password_stdin,
                         "Read the password from standard input instead of generating one");
  add_db(admin_create);

  auto* lrs_client = cli.add_subcommand("lrs-client", "Manage the clients that report to the Learning Record Store");
  lrs_client->require_subcommand(1);
  auto* lrs_create = lrs_client->add_subcommand("create", "Create a client and print its key and secret as JSON");
  std::string lrs_org, lrs_name;
  std::vector<std::string> lrs_scopes;
  lrs_create->add_option("--org", lrs_org, "Slug of the organization the client reports for")->required();
  lrs_create->add_option("--name", lrs_name, "A name people recognize, like \"Webinar platform\"")->required();
  lrs_create->add_option("--scope", lrs_scopes,
                         "statements/write, statements/read/mine, statements/read or documents (repeat; default: "
                         "statements/write statements/read/mine documents)");
  lrs_create->add_option("--public-url", acfg.public_url, "The address clients use, for the endpoint it prints")
      ->envname("STAFFROOM_PUBLIC_URL");
  add_db(lrs_create);

  auto* demo = cli.add_subcommand("demo", "Fill the database with the demo data (idempotent)");
  add_db(demo);

  auto* award = cli.add_subcommand("award", "Award an achievement and print the signed credential as JSON");
  std::string award_slug, award_email, award_narrative, award_evidence, key_dir, did_web;
  award->add_option("--achievement", award_slug, "Slug of the achievement")->required();
  award->add_option("--recipient", award_email, "Email of the person who earned it")->required();
  award->add_option("--narrative", award_narrative, "Why it was awarded, in a sentence or two");
  award->add_option("--evidence", award_evidence, "An http(s) link to the evidence");
  auto add_keys = [&](CLI::App* sub) {
    sub->add_option("--key-dir", key_dir, "Folder of the issuer keys (as for serve)")->envname("STAFFROOM_KEY_DIR");
    sub->add_option("--did-web", did_web, "Issue as did:web:DOMAIN (as for serve)")->envname("STAFFROOM_DID_WEB");
    sub->add_option("--public-url", acfg.public_url, "The address people use (as for serve)")
        ->envname("STAFFROOM_PUBLIC_URL");
  };
  add_keys(award);
  add_db(award);

  auto* keys = cli.add_subcommand("keys", "Manage the issuer keys");
  keys->require_subcommand(1);
  auto* keys_rotate = keys->add_subcommand(
      "rotate", "Retire the current signing key and make a new one (restart the server to use it)");
  add_keys(keys_rotate);
  add_db(keys_rotate);

  auto* version = cli.add_subcommand("version", "Print the version");

  CLI11_PARSE(cli, argc, argv);

  log::Level level = log::Level::Info;
  log::parse_level(log_level, level);
  log::init(serve->parsed() ? level : log::Level::Warn);

  int rc = 0;
  if (version->parsed()) {
    std::cout << "staffroom " << app::version() << "\n";
  } else if (migrate->parsed()) {
    rc = run_migrate(db_url);
  } else if (admin_create->parsed()) {
    rc = run_admin_create(db_url, email, role, scope_type, scope_id, name, password_stdin);
  } else if (demo->parsed()) {
    rc = run_demo(db_url);
  } else if (award->parsed()) {
    rc = run_award(db_url, acfg.public_url, key_dir, did_web, award_slug,
                   {award_email, award_narrative, award_evidence});
  } else if (keys_rotate->parsed()) {
    rc = run_keys_rotate(db_url, key_dir, did_web);
  } else if (lrs_create->parsed()) {
    rc = run_lrs_client_create(db_url, acfg.public_url, lrs_org, lrs_name, lrs_scopes);
  } else if (serve->parsed()) {
    acfg.db_url = db_url;
    scfg.read_timeout = std::chrono::milliseconds(read_timeout_ms);
    if (acfg.db_pool_size < scfg.threads) acfg.db_pool_size = scfg.threads;
    acfg.xapi.burst_per_client = 2 * acfg.xapi.rate_per_client;  // a client may send two seconds' worth at once
    // Each connection is a descriptor: take what the system allows, and keep
    // the connection limit below it with room for files and the database.
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
      files.rlim_cur = files.rlim_max;
      setrlimit(RLIMIT_NOFILE, &files);
      getrlimit(RLIMIT_NOFILE, &files);
      if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur > 128) {
        scfg.max_connections = std::min<std::size_t>(scfg.max_connections, files.rlim_cur - 64 - acfg.db_pool_size);
      }
    }
    auto application = app::App::create(acfg);
    if (!application.ok()) {
      rc = fail(application.error());
    } else {
      auto* a = application->get();
      http::Server server(
          scfg, [a](http::Request& req) { return a->handle(req); }, &a->metrics());
      auto port = server.listen();
      if (!port.ok()) {
        rc = fail(port.error());
      } else {
        const std::string url = "http://" + scfg.address + ":" + std::to_string(*port);
        log::info("listening", {{"url", url},
                                {"port", static_cast<int>(*port)},
                                {"database", db::dialect_name(a->database().dialect())},
                                {"version", app::version()}});
        log::flush();  // whoever started us waits for this line
        server.run();
        log::info("stopped");
      }
    }
  }
  log::flush();
  return rc;
}
