// Statement rules: every requirement family of xAPI statement validation,
// the fields named in errors, what the LRS adds, formats and signatures.
#include "lrs/statement.hpp"

#include <gtest/gtest.h>

#include "core/crypto.hpp"

using namespace staffroom;
using namespace staffroom::lrs;
namespace json = boost::json;

namespace {

json::object base() {
  return json::parse(R"({
    "actor": {"objectType": "Agent", "name": "Ada", "mbox": "mailto:ada@example.org"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
    "object": {"id": "https://staffroom.test/activities/42", "definition": {"name": {"en-US": "Webinar"}}}
  })")
      .as_object();
}

// The base statement with some top-level properties replaced or added.
json::object patched(const std::string& patch) {
  json::object s = base();
  const json::value p = json::parse(patch);
  for (const auto& kv : p.as_object()) s[kv.key()] = kv.value();
  return s;
}

std::vector<FieldError> errors_of(const json::value& v, Version version = Version::V2_0_0) {
  std::vector<FieldError> errors;
  (void)check_statement(v, version, "", errors);
  return errors;
}

bool has_field(const std::vector<FieldError>& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.field == field) return true;
  return false;
}

std::string fields(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.field + ": " + e.message + "\n";
  return out;
}

}  // namespace

TEST(Statements, TheBaseStatementIsValid) {
  auto errors = errors_of(base());
  EXPECT_TRUE(errors.empty()) << fields(errors);
}

struct Bad {
  const char* patch;
  const char* field;
};

TEST(Statements, MalformedStatementsNameTheField) {
  const Bad cases[] = {
      {R"({"Actor": {"mbox": "mailto:a@b.org"}})", "Actor"},
      {R"({"timeStamp": "2026-01-01T00:00:00Z"})", "timeStamp"},
      {R"({"dummy": 1})", "dummy"},
      {R"({"actor": {"mbox": "mailto:a@b.org", "openid": "http://openid.example.org/a"}})", "actor"},
      {R"({"actor": {"name": "nobody"}})", "actor"},
      {R"({"actor": {"mbox": "ada@example.org"}})", "actor.mbox"},
      {R"({"actor": {"mbox": "mailto:should.fail.com"}})", "actor.mbox"},
      {R"({"actor": {"objectType": "agent", "mbox": "mailto:a@b.org"}})", "actor.objectType"},
      {R"({"actor": {"member": [{"mbox": "mailto:a@b.org"}]}})", "actor.objectType"},
      {R"({"actor": {"mbox_sha1sum": "xyz"}})", "actor.mbox_sha1sum"},
      {R"({"actor": {"account": {"name": "ada"}}})", "actor.account.homePage"},
      {R"({"verb": {"id": "not an iri"}})", "verb.id"},
      {R"({"verb": {"id": "http://example.com/v", "display": {"a12345": "x"}}})", "verb.display.a12345"},
      {R"({"verb": {"id": "http://example.com/v", "display": {"en-US": null}}})", "verb.display.en-US"},
      {R"({"verb": {"id": "http://example.com/v", "display": "attended"}})", "verb.display"},
      {R"({"id": "AA97B177-9383-4934-8543-0F91A7A028368"})", "id"},
      {R"({"object": {"id": "abc"}})", "object.id"},
      {R"({"object": {"objectType": "activity", "id": "http://example.com/a"}})", "object.objectType"},
      {R"({"object": {"id": "http://example.com/a", "definition": {"interactionType": "Choice"}}})",
       "object.definition.interactionType"},
      {R"({"object": {"id": "http://example.com/a", "definition": {"choices": [{"id": "a"}]}}})",
       "object.definition.interactionType"},
      {R"({"object": {"id": "http://example.com/a", "definition": {"moreInfo": null}}})", "object.definition.moreInfo"},
      {R"({"object": {"id": "http://example.com/a", "definition": {"extensions": {"not.an.iri": 1}}}})",
       "object.definition.extensions.not.an.iri"},
      {R"({"object": {"objectType": "Agent"}})", "object"},
      {R"({"object": {"mbox": "mailto:a@b.org"}})", "object.mbox"},
      {R"({"object": {"objectType": "StatementRef", "id": "nope"}})", "object.id"},
      {R"({"result": {"score": {"scaled": 1.5}}})", "result.score.scaled"},
      {R"({"result": {"score": {"scaled": -1.00001}}})", "result.score.scaled"},
      {R"({"result": {"score": {"raw": 11, "min": 0, "max": 10}}})", "result.score.raw"},
      {R"({"result": {"score": {"min": 5, "max": 1}}})", "result.score.min"},
      {R"({"result": {"score": {"max": "100"}}})", "result.score.max"},
      {R"({"result": {"completion": "false"}})", "result.completion"},
      {R"({"result": {"duration": "P4W1D"}})", "result.duration"},
      {R"({"result": {"duration": "PT1H0M0X"}})", "result.duration"},
      {R"({"result": {"duration": 3600}})", "result.duration"},
      {R"({"timestamp": "2020-01-01T00:00:00-00:00"})", "timestamp"},
      {R"({"timestamp": "2020-01-01T00:00:00-0000"})", "timestamp"},
      {R"({"timestamp": "2020-01-01T00:00:00-00"})", "timestamp"},
      {R"({"timestamp": "01/011/2015"})", "timestamp"},
      {R"({"version": "0.9"})", "version"},
      {R"({"version": "1.1.0"})", "version"},
      {R"({"context": {"registration": "nope"}})", "context.registration"},
      {R"({"context": {"registration": null}})", "context.registration"},
      {R"({"context": {"team": {"mbox": "mailto:a@b.org"}}})", "context.team.objectType"},
      {R"({"context": {"language": "something"}})", "context.language"},
      {R"({"context": {"contextActivities": {"parents": {"id": "http://example.com/p"}}}})",
       "context.contextActivities.parents"},
      {R"({"context": {"contextActivities": {"parent": [{"id": "nope"}]}}})", "context.contextActivities.parent[0].id"},
      {R"({"context": {"contextAgents": [{"objectType": "contextagent", "agent": {"mbox": "mailto:a@b.org"}}]}})",
       "context.contextAgents[0].objectType"},
      {R"({"context": {"contextGroups": [{"objectType": "contextGroup", "group": {"mbox": "mailto:a@b.org"}}]}})",
       "context.contextGroups[0].group.objectType"},
      {R"({"context": {"contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:a@b.org"},
           "relevantTypes": []}]}})",
       "context.contextAgents[0].relevantTypes"},
      {R"({"authority": {"objectType": "Group", "member": [{"mbox": "mailto:a@b.org"}]}})", "authority.member"},
      {R"({"attachments": [{"usageType": "http://example.com/u", "display": {"en-US": "x"},
           "contentType": "text/plain", "length": "12", "sha2": "ab"}]})",
       "attachments[0].length"},
      {R"({"attachments": [{"usageType": "http://example.com/u", "contentType": "text/plain", "length": 1,
           "sha2": "ab"}]})",
       "attachments[0].display"},
  };
  for (const auto& c : cases) {
    auto errors = errors_of(patched(c.patch));
    EXPECT_TRUE(has_field(errors, c.field)) << c.patch << "\nexpected an error on " << c.field << ", got:\n"
                                            << fields(errors);
  }
}

TEST(Statements, RequiredPartsAndStructuralRules) {
  for (const char* key : {"actor", "verb", "object"}) {
    auto s = base();
    s.erase(key);
    EXPECT_TRUE(has_field(errors_of(s), key)) << key;
  }
  EXPECT_FALSE(errors_of(json::value("a statement")).empty());
  // A SubStatement cannot nest another.
  auto sub = patched(R"({"object": {"objectType": "SubStatement", "actor": {"mbox": "mailto:b@b.org"},
      "verb": {"id": "http://example.com/v"}, "object": {"objectType": "SubStatement",
      "actor": {"mbox": "mailto:c@b.org"}, "verb": {"id": "http://example.com/v"},
      "object": {"id": "http://example.com/a"}}}})");
  sub["object"].as_object().erase("definition");
  sub["object"].as_object().erase("id");
  EXPECT_TRUE(has_field(errors_of(sub), "object.object.objectType")) << fields(errors_of(sub));
  // A SubStatement has no id, stored, version or authority.
  auto sub_id = patched(R"({"object": {"objectType": "SubStatement", "id": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
      "actor": {"mbox": "mailto:b@b.org"}, "verb": {"id": "http://example.com/v"},
      "object": {"id": "http://example.com/a"}}})");
  EXPECT_TRUE(has_field(errors_of(sub_id), "object.id")) << fields(errors_of(sub_id));
  // revision and platform only with an Activity object.
  auto rev = patched(R"({"object": {"objectType": "Agent", "mbox": "mailto:b@b.org"},
      "context": {"revision": "2", "platform": "Zoom"}})");
  rev["object"].as_object().erase("id");
  rev["object"].as_object().erase("definition");
  auto errors = errors_of(rev);
  EXPECT_TRUE(has_field(errors, "context.revision")) << fields(errors);
  EXPECT_TRUE(has_field(errors, "context.platform")) << fields(errors);
  // Voiding needs a StatementRef.
  EXPECT_TRUE(has_field(errors_of(patched(R"({"verb": {"id": "http://adlnet.gov/expapi/verbs/voided"}})")),
                        "object.objectType"));
  // contextAgents are 2.0; a 1.0.3 statement may not carry them.
  auto agents = patched(
      R"({"context": {"contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:a@b.org"}}]}})");
  EXPECT_TRUE(errors_of(agents, Version::V2_0_0).empty()) << fields(errors_of(agents));
  EXPECT_TRUE(has_field(errors_of(agents, Version::V1_0_3), "context.contextAgents"));
}

TEST(Statements, ValidEdgeCasesAreAccepted) {
  const char* patches[] = {
      R"({"object": {"id": "http://example.com/a", "definition": {"extensions":
          {"http://example.com/x": null, "http://example.com/y": {}, "http://example.com/z": ""}}}})",
      R"({"timestamp": "2026-08-01T14:00:00+05:30"})",
      R"({"timestamp": "2026-08-01T14:00:00+00:00"})",
      R"({"timestamp": "2026-08-01T14:00:00.123456Z"})",
      R"({"timestamp": "2031-01-01T00:00:00+0100"})",
      R"({"result": {"duration": "P3Y1M29DT4H35M59.14S"}})",
      R"({"result": {"duration": "PT16559.14S"}})",
      R"({"result": {"duration": "P4W"}})",
      R"({"result": {"duration": "P1DT12H36M0.12567S"}})",
      R"({"result": {"score": {"scaled": -1, "raw": 0, "min": 0, "max": 0}}})",
      R"({"result": {"score": {"scaled": 1.0}}})",
      R"({"verb": {"id": "http://example.com/v", "display": {"zh-Hant": "x", "sr-Latn-RS": "y", "en": "z",
          "tlh": "a", "es-419": "b", "de-DE-1996": "c", "en-x-private": "d"}}})",
      R"({"version": "1.0"})",
      R"({"version": "1.0.9"})",
      R"({"version": "2.0.0"})",
      R"({"actor": {"objectType": "Group", "member": [{"mbox": "mailto:a@b.org"}, {"openid": "http://o.example/b"}]}})",
      R"({"actor": {"objectType": "Group", "name": "Team", "account": {"homePage": "https://zoom.us", "name": "t1"}}})",
      R"({"actor": {"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}})",
      R"({"authority": {"objectType": "Group", "member": [{"account": {"homePage": "http://x.example", "name": "app"}},
          {"mbox": "mailto:u@b.org"}]}})",
      R"({"context": {"registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
          "contextActivities": {"parent": {"id": "http://example.com/p"}}, "language": "fr-CA"}})",
  };
  for (const char* p : patches) {
    auto errors = errors_of(patched(p));
    EXPECT_TRUE(errors.empty()) << p << "\n" << fields(errors);
  }
}

TEST(Statements, BatchErrorsCarryTheIndex) {
  std::vector<FieldError> errors;
  auto s = patched(R"({"verb": {"id": "nope"}})");
  (void)check_statement(s, Version::V2_0_0, "[3].", errors);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.front().field, "[3].verb.id");
}

TEST(Statements, FactsForQueries) {
  std::vector<FieldError> errors;
  auto s = patched(R"({"context": {"registration": "EC531277-B57B-4C15-8D91-D292C5B2B8F7",
      "instructor": {"mbox": "mailto:teacher@example.org"},
      "contextActivities": {"parent": [{"id": "http://example.com/series"}]}},
      "result": {"duration": "PT1H30M"}})");
  auto checked = check_statement(s, Version::V2_0_0, "", errors);
  ASSERT_TRUE(checked) << fields(errors);
  const auto& f = checked->facts;
  EXPECT_EQ(f.actor, "mbox:mailto:ada@example.org");
  EXPECT_EQ(f.verb, "http://adlnet.gov/expapi/verbs/attended");
  EXPECT_EQ(f.activity, "https://staffroom.test/activities/42");
  EXPECT_EQ(f.registration, "ec531277-b57b-4c15-8d91-d292c5b2b8f7");
  EXPECT_EQ(f.agents, (std::vector<std::string>{"mbox:mailto:ada@example.org"}));
  EXPECT_EQ(f.related_agents,
            (std::vector<std::string>{"mbox:mailto:ada@example.org", "mbox:mailto:teacher@example.org"}));
  EXPECT_EQ(f.related_activities,
            (std::vector<std::string>{"http://example.com/series", "https://staffroom.test/activities/42"}));
  EXPECT_EQ(f.duration_ms, 90 * 60 * 1000);
  ASSERT_EQ(f.definitions.size(), 1u);
  // A single context activity becomes a list.
  EXPECT_TRUE(checked->statement.at("context").at("contextActivities").at("parent").is_array());
}

TEST(Statements, TheLrsCompletesWhatItOwns) {
  std::vector<FieldError> errors;
  auto s = patched(R"({"timestamp": "2026-08-01T10:00:00-04:00", "stored": "2000-01-01T00:00:00Z",
      "authority": {"mbox": "mailto:liar@example.org"}})");
  auto checked = check_statement(s, Version::V1_0_3, "", errors);
  ASSERT_TRUE(checked) << fields(errors);
  const json::object authority{{"objectType", "Agent"}, {"mbox", "mailto:lrs@staffroom.test"}};
  auto text = prepare_statement(*checked, json::serialize(authority), Version::V1_0_3);
  // Before the write lock: everything but stored, the client's stored gone.
  const auto prepared = json::parse(text).as_object();
  EXPECT_FALSE(prepared.contains("stored"));
  EXPECT_EQ(prepared.at("timestamp"), "2026-08-01T14:00:00.000Z");
  stamp_stored(text, checked->facts, 1785600000123);
  const auto st = json::parse(text).as_object();
  EXPECT_TRUE(is_uuid(st.at("id").as_string()));
  EXPECT_EQ(st.at("id").as_string(), checked->facts.id);
  EXPECT_EQ(st.at("timestamp"), "2026-08-01T14:00:00.000Z");
  EXPECT_EQ(st.at("stored"), "2026-08-01T16:00:00.123Z");
  EXPECT_EQ(st.at("authority"), authority);
  EXPECT_EQ(st.at("version"), "1.0.0");
  EXPECT_EQ(st.size(), prepared.size() + 1);
  // Without a timestamp, it is the stored time, to the character, and the
  // facts the participation records read have it too.
  auto plain = check_statement(base(), Version::V2_0_0, "", errors);
  auto plain_text = prepare_statement(*plain, json::serialize(authority), Version::V2_0_0);
  EXPECT_FALSE(json::parse(plain_text).as_object().contains("timestamp"));
  stamp_stored(plain_text, plain->facts, 1785600000000);
  const auto stamped = json::parse(plain_text).as_object();
  EXPECT_EQ(stamped.at("timestamp"), stamped.at("stored"));
  EXPECT_EQ(stamped.at("stored"), "2026-08-01T16:00:00.000Z");
  EXPECT_EQ(plain->facts.timestamp, 1785600000000);
  EXPECT_EQ(stamped.at("version"), "2.0.0");
}

TEST(Statements, FieldRules) {
  EXPECT_TRUE(is_language_tag("en-US"));
  EXPECT_TRUE(is_language_tag("zh-Hans-CN"));
  EXPECT_TRUE(is_language_tag("cmn"));
  for (const char* bad : {"something", "a12345678", "a12345", "s-something", "zh-something-ccc", "en-something-AU",
                          "zh-z-aaa-z-bbb", "", "en-"})
    EXPECT_FALSE(is_language_tag(bad)) << bad;
  EXPECT_EQ(parse_duration("PT1H0M0.1S"), 3600100);
  EXPECT_EQ(parse_duration("P1D"), 86400000);
  for (const char* bad : {"P", "PT", "PA1H0M0S", "P4W1D", "PT1.5H30M", "1H", "P1H"})
    EXPECT_FALSE(parse_duration(bad)) << bad;
  EXPECT_EQ(parse_timestamp("2026-08-01T14:00:00Z"), parse_timestamp("2026-08-01T10:00:00-04:00"));
  EXPECT_EQ(parse_timestamp("2026-08-01T14:00:00+02"), parse_timestamp("2026-08-01T12:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-08-01"));
  EXPECT_FALSE(parse_timestamp("2026-02-30T00:00:00Z"));
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_TRUE(is_iri("urn:uuid:1"));
  EXPECT_FALSE(is_iri("ab=c://should.fail.com"));
  EXPECT_FALSE(is_iri("adlnet.gov/expapi/verbs/attended"));
  EXPECT_TRUE(is_uuid(crypto::uuid_v7()));
  EXPECT_EQ(*agent_key(R"({"mbox":"mailto:a@b.org"})"), "mbox:mailto:a@b.org");
  EXPECT_EQ(*agent_key(R"({"account":{"homePage":"https://zoom.us","name":"42"}})"), "account:https://zoom.us 42");
  EXPECT_FALSE(agent_key("wrong").ok());
  EXPECT_FALSE(agent_key(R"({"name":"no id","objectType":"Agent"})").ok());
}

TEST(Statements, IdsAndCanonicalFormats) {
  auto s = patched(R"({"verb": {"id": "http://example.com/v", "display": {"en-US": "attended", "en-GB": "attended",
      "fr-FR": "a assisté"}}, "object": {"objectType": "Activity", "id": "http://example.com/a", "definition": {
      "name": {"en-US": "Webinar", "fr-FR": "Webinaire"}, "type": "http://adlnet.gov/expapi/activities/meeting"}}})");
  auto ids = ids_format(s);
  EXPECT_EQ(ids.at("verb"), (json::object{{"id", "http://example.com/v"}}));
  EXPECT_EQ(ids.at("object"), (json::object{{"id", "http://example.com/a"}}));
  EXPECT_EQ(ids.at("actor"), (json::object{{"objectType", "Agent"}, {"mbox", "mailto:ada@example.org"}}));
  auto fr = canonical_format(s, accept_languages("fr-FR, en;q=0.5"));
  EXPECT_EQ(fr.at("verb").at("display"), (json::object{{"fr-FR", "a assisté"}}));
  EXPECT_EQ(fr.at("object").at("definition").at("name"), (json::object{{"fr-FR", "Webinaire"}}));
  EXPECT_EQ(fr.at("object").at("definition").at("type"), "http://adlnet.gov/expapi/activities/meeting");
  auto gb = canonical_format(s, accept_languages("en-GB"));
  EXPECT_EQ(gb.at("verb").at("display"), (json::object{{"en-GB", "attended"}}));
  EXPECT_EQ(gb.at("object").at("definition").at("name"), (json::object{{"en-US", "Webinar"}}));
  EXPECT_EQ(accept_languages("de;q=0.2, fr, en;q=0.9"), (std::vector<std::string>{"fr", "en", "de"}));
}

TEST(Statements, SignaturesMustCarryTheStatement) {
  crypto::init();
  std::vector<FieldError> errors;
  // A signed statement names its id (the LRS keeps the form as sent only
  // for statements with an id or attachments).
  const std::string id = "6f0a8c2e-3b9d-4c1e-9a7f-000000000042";
  auto s = patched(R"({"result": {"duration": "PT1H0M0.1237S"}})");
  s["id"] = id;
  auto checked = check_statement(s, Version::V2_0_0, "", errors);
  ASSERT_TRUE(checked);
  auto jws = [](const std::string& alg, const json::object& payload) {
    return crypto::base64url(json::serialize(json::object{{"alg", alg}})) + "." +
           crypto::base64url(json::serialize(payload)) + "." + crypto::base64url("signature");
  };
  auto signed_copy = patched(R"({"result": {"duration": "PT1H0M0.12S"}})");
  signed_copy["id"] = id;
  EXPECT_TRUE(check_signature(*checked, jws("RS256", signed_copy), "sig").ok());
  EXPECT_TRUE(check_signature(*checked, jws("RS512", signed_copy), "sig").ok());
  EXPECT_FALSE(check_signature(*checked, jws("HS256", signed_copy), "sig").ok());
  EXPECT_FALSE(check_signature(*checked, jws("RS256", base()), "sig").ok());
  EXPECT_FALSE(check_signature(*checked, "not a jws", "sig").ok());
  const std::string broken_payload =
      crypto::base64url(R"({"alg":"RS256"})") + "." + crypto::base64url("{'actor': 1}") + "." + crypto::base64url("s");
  EXPECT_FALSE(check_signature(*checked, broken_payload, "sig").ok());
}

TEST(Statements, DefinitionsMergeLanguageByLanguage) {
  json::object kept = json::parse(R"({"name": {"en-US": "Webinar"}, "type": "http://example.com/t1"})").as_object();
  EXPECT_TRUE(merge_definition(
      kept, json::parse(R"({"name": {"fr-FR": "Webinaire"}, "type": "http://example.com/t2"})").as_object()));
  EXPECT_EQ(kept.at("name"), (json::object{{"en-US", "Webinar"}, {"fr-FR", "Webinaire"}}));
  EXPECT_EQ(kept.at("type"), "http://example.com/t2");
  // What the kept definition already says changes nothing, so it is not
  // written again; one new entry or a changed property does.
  const json::object before = kept;
  EXPECT_FALSE(merge_definition(kept, json::parse(R"({"name": {"fr-FR": "Webinaire"}})").as_object()));
  EXPECT_FALSE(merge_definition(kept, json::object{}));
  EXPECT_EQ(kept, before);
  EXPECT_TRUE(merge_definition(kept, json::parse(R"({"name": {"fr-FR": "Séminaire en ligne"}})").as_object()));
  EXPECT_TRUE(merge_definition(kept, json::parse(R"({"description": {"en-US": "Live"}})").as_object()));
  EXPECT_TRUE(merge_definition(kept, json::parse(R"({"type": "http://example.com/t3"})").as_object()));
  EXPECT_EQ(kept.at("name").at("fr-FR"), "Séminaire en ligne");
  EXPECT_EQ(kept.at("description"), (json::object{{"en-US", "Live"}}));
}

TEST(Statements, TakingOverAStatementChecksItAlike) {
  std::vector<FieldError> errors;
  auto copy = patched(R"({"context": {"contextActivities": {"parent": {"id": "http://example.com/p"}}}})");
  json::value owned = copy;
  auto from_copy = check_statement(json::value(copy), Version::V2_0_0, "", errors);
  auto taken = check_statement(std::move(owned), Version::V2_0_0, "", errors);
  ASSERT_TRUE(from_copy && taken);
  EXPECT_EQ(taken->statement, from_copy->statement);
  EXPECT_EQ(index_keys(taken->facts), index_keys(from_copy->facts));
  EXPECT_TRUE(taken->statement.at("context").at("contextActivities").at("parent").is_array());
  // The form as sent is kept only where it is needed: an id (a re-send can
  // be compared) or attachments (a signature can be checked).
  EXPECT_TRUE(taken->original.empty());
  copy["id"] = "6f0a8c2e-3b9d-4c1e-9a7f-000000000043";
  auto with_id = check_statement(json::value(copy), Version::V2_0_0, "", errors);
  ASSERT_TRUE(with_id);
  EXPECT_EQ(with_id->original, copy);
  // An id the LRS gives leads the object and is marked as given by it.
  assign_id(*taken);
  EXPECT_TRUE(taken->id_assigned);
  EXPECT_EQ(taken->statement.begin()->key(), "id");
  EXPECT_EQ(taken->statement.at("id").as_string(), taken->facts.id);
}

// Broad keys only for what the narrow keys do not name: a broad filter reads
// both kinds (store::query), so the actor and the object activity are not
// written twice.
TEST(Statements, IndexKeysNameEachAgentAndActivityOnce) {
  std::vector<FieldError> errors;
  auto s = check_statement(
      json::parse(R"({"actor": {"mbox": "mailto:ada@example.org"}, "verb": {"id": "http://example.com/v"},
        "object": {"id": "http://example.com/a"},
        "context": {"registration": "6f0a8c2e-3b9d-4c1e-9a7f-000000000001",
                    "instructor": {"mbox": "mailto:ines@example.org"},
                    "contextActivities": {"parent": [{"id": "http://example.com/p"}, {"id": "http://example.com/a"}]}}})"),
      Version::V2_0_0, "", errors);
  ASSERT_TRUE(s) << fields(errors);
  EXPECT_EQ(index_keys(s->facts),
            (std::vector<std::string>{"A http://example.com/p", "G mbox:mailto:ines@example.org",
                                      "a http://example.com/a", "g mbox:mailto:ada@example.org",
                                      "r 6f0a8c2e-3b9d-4c1e-9a7f-000000000001", "v http://example.com/v"}));
}
