// The credit policy format and the contradictions validate() refuses.
#include "credit/policy.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <functional>

#include "core/calendar.hpp"
#include "core/json.hpp"

using namespace staffroom;
using namespace staffroom::credit;

namespace {

// The example a district administrator is shown: every field of the format.
constexpr std::string_view kSpringfield = R"({
  "format": "staffroom.credit-policy/1",
  "name": "Springfield Public Schools professional learning credit",
  "version": 2,
  "effective_on": "2012-07-01",
  "time_zone": "America/Chicago",
  "counts": {
    "formats": ["webinar", "live_chat", "social_media_chat", "online_course", "forum_discussion", "unconference"],
    "providers": "all",
    "themes": "all",
    "self_reported": {
      "counts": true,
      "formats": ["social_media_chat", "webinar", "forum_discussion", "online_course"],
      "requires_attestation": true,
      "min_reflection_words": 100
    }
  },
  "conversion": {
    "rounding": "nearest_quarter_hour",
    "hours_per_ceu": 10,
    "hours_per_semester_credit": 15,
    "presenter_multiplier": 2,
    "facilitator_multiplier": 2
  },
  "tiers": [
    {"id": "knowledge", "name": "Knowledge", "level": 1, "deadline_days": 30, "min_hours": 0,
     "requirements": [{"any_of": [{"kind": "host_attendance", "sources": ["check_in", "attendance_list", "xapi"]},
                                  {"kind": "survey"}]}],
     "approver_review": false},
    {"id": "application", "name": "Application", "level": 2, "deadline_days": 365, "min_hours": 1,
     "requirements": [{"any_of": [{"kind": "reflection", "min_words": 300}, {"kind": "artifact"}]}],
     "approver_review": false},
    {"id": "impact", "name": "Impact", "level": 3, "deadline_days": 1095, "min_hours": 0,
     "requirements": [{"any_of": [{"kind": "artifact"}]}, {"any_of": [{"kind": "colleague_attestation"}]}],
     "approver_review": true}
  ],
  "caps": [
    {"applies_to": "format", "format": "social_media_chat", "period": "year", "max_hours": 10},
    {"applies_to": "each_provider", "period": "cycle", "max_hours": 40},
    {"applies_to": "self_reported", "period": "cycle", "max_hours": 30},
    {"applies_to": "all", "period": "year", "max_hours": 40}
  ],
  "renewal": {"required_hours": 100, "cycle_years": 5, "starts_on": "2010-07-01"}
})";

boost::json::value springfield_json() {
  return boost::json::parse(kSpringfield);
}

Policy springfield() {
  auto p = parse_policy(springfield_json());
  if (!p) throw std::runtime_error("the example policy must be valid: " + p.error().detail);
  return *p;
}

constexpr std::int64_t hours(std::int64_t h) {
  return h * 60;
}

std::vector<FieldError> problems(const Policy& p) {
  return check_policy(p);
}

std::string describe(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& e : errors) out += "\n  " + e.field + ": " + e.message;
  return out.empty() ? " (none)" : out;
}

// Whether some problem is reported at `field` with a message containing `says`.
bool reports(const std::vector<FieldError>& errors, const std::string& field, const std::string& says) {
  for (const auto& e : errors)
    if (e.field == field && e.message.find(says) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(CreditPolicy, TheExampleIsValidAndReadsAsWritten) {
  const Policy p = springfield();
  EXPECT_EQ(p.name, "Springfield Public Schools professional learning credit");
  EXPECT_EQ(p.version, 2);
  EXPECT_EQ(p.effective_on, *parse_date("2012-07-01"));
  EXPECT_FALSE(p.counts.formats.all);
  EXPECT_EQ(p.counts.formats.only.size(), 6u);
  EXPECT_TRUE(p.counts.providers.all);
  EXPECT_TRUE(p.counts.self_reported.requires_attestation);
  EXPECT_EQ(p.conversion.rounding, Rounding::NearestQuarterHour);
  EXPECT_EQ(p.conversion.minutes_per_ceu, 600);
  EXPECT_EQ(p.conversion.minutes_per_semester_credit, 900);
  EXPECT_EQ(p.conversion.presenter_percent, 200);
  ASSERT_EQ(p.tiers.size(), 3u);
  EXPECT_EQ(p.tiers[1].min_minutes, 60);
  EXPECT_EQ(p.tiers[1].requirements[0].any_of[0].kind, EvidenceRule::Reflection);
  EXPECT_EQ(p.tiers[1].requirements[0].any_of[0].min_words, 300);
  EXPECT_TRUE(p.tiers[2].approver_review);
  ASSERT_EQ(p.caps.size(), 4u);
  EXPECT_EQ(p.caps[0].applies_to, CapScope::Format);
  EXPECT_EQ(p.caps[0].max_minutes, 600);
  EXPECT_EQ(p.renewal.required_minutes, 6000);
  EXPECT_EQ(p.renewal.starts_on, *parse_date("2010-07-01"));
  EXPECT_EQ(p.tier("impact"), &p.tiers[2]);
  EXPECT_EQ(p.tier("mastery"), nullptr);
}

TEST(CreditPolicy, ExportThenImportGivesTheSamePolicy) {
  Policy p = springfield();
  EXPECT_EQ(*parse_policy(to_json(p)), p);
  // Amounts that are not whole hours survive too: hours are written as
  // numbers and read back to the minute.
  p.conversion.minutes_per_ceu = 601;
  p.conversion.presenter_percent = 150;
  p.tiers[1].min_minutes = 45;
  p.caps[0].max_minutes = 7;
  p.counts.providers = {false, {12, 40}};
  p.caps[1] = {CapScope::Provider, "", 12, CapPeriod::Cycle, 2401};
  p.counts.themes = {false, {"Digital citizenship"}};
  p.tiers[0].requirements[0].any_of[0].sources = {Source::Xapi};
  ASSERT_TRUE(validate(p).ok()) << validate(p).error().detail;
  auto back = parse_policy(to_json(p));
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(*back, p);
  // And the text form is stable: writing what was read gives the same text.
  const auto text = json::serialize(to_json(p));
  EXPECT_EQ(json::serialize(to_json(*parse_policy(boost::json::parse(text)))), text);
}

TEST(CreditPolicy, ExportWritesEveryFieldInTheDocumentedShape) {
  const auto j = to_json(springfield()).as_object();
  EXPECT_EQ(j.at("format").as_string(), "staffroom.credit-policy/1");
  EXPECT_EQ(j.at("effective_on").as_string(), "2012-07-01");
  EXPECT_EQ(j.at("conversion").at("hours_per_ceu").as_int64(), 10);
  EXPECT_EQ(j.at("conversion").at("rounding").as_string(), "nearest_quarter_hour");
  EXPECT_EQ(j.at("counts").at("providers").as_string(), "all");
  EXPECT_EQ(j.at("tiers").at(1).at("requirements").at(0).at("any_of").at(0).at("min_words").as_int64(), 300);
  EXPECT_EQ(j.at("caps").at(0).at("format").as_string(), "social_media_chat");
  EXPECT_FALSE(j.at("caps").at(1).as_object().contains("format"));
  EXPECT_EQ(j.at("renewal").at("starts_on").as_string(), "2010-07-01");
}

TEST(CreditPolicy, AbsentOptionalFieldsTakeTheirDefaults) {
  auto p = parse_policy(boost::json::parse(R"({
    "format": "staffroom.credit-policy/1", "name": "Minimal", "effective_on": "2013-01-01",
    "time_zone": "America/New_York",
    "tiers": [{"id": "knowledge", "name": "Knowledge", "level": 1, "deadline_days": 30,
               "requirements": [{"any_of": [{"kind": "host_attendance"}]}]}],
    "renewal": {"required_hours": 60, "cycle_years": 3, "starts_on": "2013-01-01"}})"));
  ASSERT_TRUE(p.ok()) << p.error().detail;
  EXPECT_EQ(p->version, 1);
  EXPECT_TRUE(p->counts.formats.all);
  EXPECT_FALSE(p->counts.self_reported.counts);
  EXPECT_EQ(p->conversion.rounding, Rounding::None);
  EXPECT_EQ(p->conversion.minutes_per_ceu, 600);
  EXPECT_EQ(p->tiers[0].requirements[0].any_of[0].sources.size(), 3u);
  EXPECT_TRUE(p->caps.empty());
}

// Import problems: each row edits the example's JSON and names the field and
// what the message says.
struct ImportRow {
  std::string spec;
  std::function<void(boost::json::object&)> edit;
  std::string field;
  std::string says;
};

TEST(CreditPolicy, ImportNamesEveryShapeProblem) {
  const std::vector<ImportRow> rows = {
      {"a file without a format is not read", [](auto& o) { o.erase("format"); }, "format", "is required"},
      {"another format is not read", [](auto& o) { o["format"] = "staffroom.credit-policy/9"; }, "format",
       "this server reads credit policies in the format \"staffroom.credit-policy/1\""},
      {"a misspelt field is named, not ignored", [](auto& o) { o["renewl"] = 1; }, "renewl", "is not a field here"},
      {"nested misspellings are named with their path",
       [](auto& o) { o["caps"].as_array()[0].as_object()["max_hour"] = 3; }, "caps[0].max_hour", "is not a field here"},
      {"an unknown rounding rule", [](auto& o) { o["conversion"].as_object()["rounding"] = "banker"; },
       "conversion.rounding", "is not a rounding rule; use one of none, nearest_quarter_hour"},
      {"hours finer than a minute", [](auto& o) { o["renewal"].as_object()["required_hours"] = 1.001; },
       "renewal.required_hours", "must be a whole number of minutes"},
      {"a number where a date belongs", [](auto& o) { o["effective_on"] = 20120701; }, "effective_on",
       "must be a string"},
      {"an impossible date", [](auto& o) { o["effective_on"] = "2012-02-30"; }, "effective_on",
       "must be a date written YYYY-MM-DD"},
      {"formats neither all nor a list", [](auto& o) { o["counts"].as_object()["formats"] = "some"; }, "counts.formats",
       "must be \"all\" or a list of activity formats"},
      {"an unknown kind of evidence",
       [](auto& o) {
         o["tiers"].as_array()[0].as_object()["requirements"].as_array()[0].as_object()["any_of"].as_array()[1] =
             boost::json::object{{"kind", "vibes"}};
       },
       "tiers[0].requirements[0].any_of[1].kind", "is not a kind of evidence"},
      {"a reflection without a word count",
       [](auto& o) {
         o["tiers"].as_array()[1].as_object()["requirements"].as_array()[0].as_object()["any_of"].as_array()[0] =
             boost::json::object{{"kind", "reflection"}};
       },
       "tiers[1].requirements[0].any_of[0].min_words", "is required for a reflection"},
      {"sources on evidence other than attendance",
       [](auto& o) {
         o["tiers"].as_array()[1].as_object()["requirements"].as_array()[0].as_object()["any_of"].as_array()[1] =
             boost::json::object{{"kind", "artifact"}, {"sources", boost::json::array{"xapi"}}};
       },
       "tiers[1].requirements[0].any_of[1].sources", "only host_attendance evidence names sources"},
      {"an unknown attendance source",
       [](auto& o) {
         o["tiers"].as_array()[0].as_object()["requirements"].as_array()[0].as_object()["any_of"].as_array()[0] =
             boost::json::object{{"kind", "host_attendance"}, {"sources", boost::json::array{"zoom"}}};
       },
       "tiers[0].requirements[0].any_of[0].sources[0]", "is not an attendance source"},
      {"a cap without a period", [](auto& o) { o["caps"].as_array()[2].as_object().erase("period"); }, "caps[2].period",
       "is required"},
      {"a cap on something unknown", [](auto& o) { o["caps"].as_array()[2].as_object()["applies_to"] = "weekends"; },
       "caps[2].applies_to", "is not something a cap applies to"},
      {"a level that is not a whole number", [](auto& o) { o["tiers"].as_array()[0].as_object()["level"] = 1.5; },
       "tiers[0].level", "must be a whole number"},
      {"a flag that is not true or false",
       [](auto& o) { o["tiers"].as_array()[0].as_object()["approver_review"] = "yes"; }, "tiers[0].approver_review",
       "must be true or false"},
      {"no renewal", [](auto& o) { o.erase("renewal"); }, "renewal", "is required"},
  };
  for (const auto& row : rows) {
    auto j = springfield_json();
    row.edit(j.as_object());
    auto p = parse_policy(j);
    ASSERT_FALSE(p.ok()) << row.spec;
    EXPECT_EQ(p.error().code, ErrorCode::Validation) << row.spec;
    EXPECT_TRUE(reports(p.error().fields, row.field, row.says))
        << row.spec << ": expected " << row.field << " saying \"" << row.says << "\", got"
        << describe(p.error().fields);
  }
}

TEST(CreditPolicy, ANonObjectIsRefused) {
  auto p = parse_policy(boost::json::parse("[1, 2]"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().fields[0].field, "policy");
}

// Contradictions: each row edits the valid example and names the field and
// what the message tells the administrator.
struct ValidationRow {
  std::string spec;
  std::function<void(Policy&)> edit;
  std::string field;
  std::string says;
};

TEST(CreditPolicy, ValidationNamesEveryContradiction) {
  const std::vector<ValidationRow> rows = {
      {"a policy needs a name", [](Policy& p) { p.name = ""; }, "name", "give the policy a name"},
      {"version numbers start at 1", [](Policy& p) { p.version = 0; }, "version", "must be 1 or more"},
      {"an unknown time zone", [](Policy& p) { p.time_zone = "Springfield/Central"; }, "time_zone",
       "is not an IANA time zone"},
      {"an unknown activity format", [](Policy& p) { p.counts.formats.only[1] = "podcast"; }, "counts.formats[1]",
       "\"podcast\" is not an activity format; use one of webinar, live_chat"},
      {"a format listed twice", [](Policy& p) { p.counts.formats.only.push_back("webinar"); }, "counts.formats[6]",
       "already listed at counts.formats[0]"},
      {"an empty format list would count nothing", [](Policy& p) { p.counts.formats.only.clear(); }, "counts.formats",
       "makes no learning count"},
      {"an empty provider list would count nothing",
       [](Policy& p) {
         p.counts.providers = {false, {}};
       },
       "counts.providers", "makes no hosted learning count"},
      {"provider ids are positive",
       [](Policy& p) {
         p.counts.providers = {false, {12, -3}};
       },
       "counts.providers[1]", "must be an organization id"},
      {"themes are compared ignoring case, so these repeat",
       [](Policy& p) {
         p.counts.themes = {false, {"Digital Citizenship", "digital citizenship"}};
       },
       "counts.themes[1]", "already listed"},
      {"an unknown self-reported format", [](Policy& p) { p.counts.self_reported.formats.only[0] = "tweet"; },
       "counts.self_reported.formats[0]", "is not an activity format"},
      {"a negative word count", [](Policy& p) { p.counts.self_reported.min_reflection_words = -5; },
       "counts.self_reported.min_reflection_words", "between 0 and 10,000"},
      {"CEUs from zero hours", [](Policy& p) { p.conversion.minutes_per_ceu = 0; }, "conversion.hours_per_ceu",
       "must be more than 0"},
      {"semester credits from negative hours", [](Policy& p) { p.conversion.minutes_per_semester_credit = -900; },
       "conversion.hours_per_semester_credit", "must be more than 0"},
      {"presenting that counts for nothing", [](Policy& p) { p.conversion.presenter_percent = 0; },
       "conversion.presenter_multiplier", "must be more than 0 and at most 10"},
      {"facilitating a hundred times over", [](Policy& p) { p.conversion.facilitator_percent = 10000; },
       "conversion.facilitator_multiplier", "at most 10"},
      {"no tiers", [](Policy& p) { p.tiers.clear(); }, "tiers", "add at least one tier"},
      {"a tier id that is not a slug", [](Policy& p) { p.tiers[0].id = "Knowledge Tier"; }, "tiers[0].id",
       "lower-case letters"},
      {"duplicate tier ids", [](Policy& p) { p.tiers[2].id = "knowledge"; }, "tiers[2].id",
       "\"knowledge\" is already the id of tiers[0]"},
      {"two tiers at one level overlap", [](Policy& p) { p.tiers[1].level = 1; }, "tiers[1].level",
       "tiers[0] (knowledge) is already level 1; two tiers at one level overlap"},
      {"two tiers asking for the same evidence overlap",
       [](Policy& p) {
         p.tiers[1].requirements = p.tiers[0].requirements;
         p.tiers[1].min_minutes = 0;
       },
       "tiers[1]", "asks for the same evidence as tiers[0] (knowledge)"},
      {"a higher tier with a shorter deadline", [](Policy& p) { p.tiers[1].deadline_days = 10; },
       "tiers[1].deadline_days", "10 days is shorter than the 30 days of knowledge (level 1)"},
      {"a deadline of no days", [](Policy& p) { p.tiers[0].deadline_days = 0; }, "tiers[0].deadline_days",
       "between 1 and 3,660 days"},
      {"a negative tier minimum", [](Policy& p) { p.tiers[0].min_minutes = -60; }, "tiers[0].min_hours",
       "must be 0 or more"},
      {"a tier that asks for no evidence", [](Policy& p) { p.tiers[0].requirements.clear(); }, "tiers[0].requirements",
       "every claim would pass"},
      {"a requirement with no options", [](Policy& p) { p.tiers[0].requirements[0].any_of.clear(); },
       "tiers[0].requirements[0].any_of", "list at least one kind of evidence"},
      {"a reflection of no words", [](Policy& p) { p.tiers[1].requirements[0].any_of[0].min_words = 0; },
       "tiers[1].requirements[0].any_of[0].min_words", "between 1 and 10,000"},
      {"host attendance from no source", [](Policy& p) { p.tiers[0].requirements[0].any_of[0].sources.clear(); },
       "tiers[0].requirements[0].any_of[0].sources", "list at least one of check_in"},
      {"an option listed twice",
       [](Policy& p) { p.tiers[1].requirements[0].any_of.push_back(p.tiers[1].requirements[0].any_of[1]); },
       "tiers[1].requirements[0].any_of[2]", "repeats any_of[1]"},
      {"a requirement listed twice", [](Policy& p) { p.tiers[2].requirements.push_back(p.tiers[2].requirements[0]); },
       "tiers[2].requirements[2]", "repeats requirements[0]"},
      {"a cap of zero hours", [](Policy& p) { p.caps[0].max_minutes = 0; }, "caps[0].max_hours",
       "take it out of counts instead"},
      {"a negative cap", [](Policy& p) { p.caps[2].max_minutes = -60; }, "caps[2].max_hours", "must be more than 0"},
      {"a cap on an unknown format", [](Policy& p) { p.caps[0].format = "podcast"; }, "caps[0].format",
       "is not an activity format"},
      {"a cap on a format that does not count",
       [](Policy& p) {
         p.counts.formats.only = {"webinar"};
         p.counts.self_reported.formats.only = {"webinar"};
       },
       "caps[0].format", "social_media_chat learning does not count under counts, so this cap would never apply"},
      {"a format on a cap of another kind", [](Policy& p) { p.caps[3].format = "webinar"; }, "caps[3].format",
       "only a cap that applies_to \"format\" names a format"},
      {"a cap on a provider that is not approved",
       [](Policy& p) {
         p.counts.providers = {false, {12}};
         p.caps.push_back({CapScope::Provider, "", 40, CapPeriod::Year, 600});
       },
       "caps[4].provider", "organization 40 is not in counts.providers"},
      {"a cap on self-reported learning that does not count", [](Policy& p) { p.counts.self_reported.counts = false; },
       "caps[2].applies_to", "self-reported learning does not count"},
      {"the same cap twice", [](Policy& p) { p.caps.push_back(p.caps[3]); }, "caps[4]",
       "caps the same learning in the same period as caps[3]"},
      {"no renewal requirement", [](Policy& p) { p.renewal.required_minutes = 0; }, "renewal.required_hours",
       "must be more than 0"},
      {"a cycle of no years", [](Policy& p) { p.renewal.cycle_years = 0; }, "renewal.cycle_years", "between 1 and 10"},
      {"a yearly cap that makes renewal impossible", [](Policy& p) { p.caps[3].max_minutes = hours(15); },
       "caps[3].max_hours",
       "caps[3] allows 15 hours a year of all learning, so at most 75 hours in a 5-year cycle, less than the 100 hours "
       "renewal.required_hours asks for; no educator could renew"},
      {"format caps that together make renewal impossible",
       [](Policy& p) {
         p.counts.formats.only = {"webinar", "social_media_chat"};
         p.counts.self_reported.formats.only = {"webinar"};
         p.caps.push_back({CapScope::Format, "webinar", 0, CapPeriod::Cycle, hours(40)});
       },
       "caps", "the format caps allow 90 hours across every format that counts, so at most 90 hours"},
      {"provider caps that together make renewal impossible",
       [](Policy& p) {
         p.counts.providers = {false, {12, 40}};
         p.caps[1].max_minutes = hours(20);  // each provider, a cycle
         p.caps[2].max_minutes = hours(30);  // self-reported, a cycle
       },
       "caps",
       "the provider caps allow 70 hours from the approved providers and self-reported learning together, so at most "
       "70 hours"},
      {"a cap below a tier minimum", [](Policy& p) { p.tiers[2].min_minutes = hours(41); }, "tiers[2].min_hours",
       "41 hours can never be reached: caps[3] allows 40 hours a year of all learning"},
  };
  ASSERT_TRUE(problems(springfield()).empty()) << describe(problems(springfield()));
  for (const auto& row : rows) {
    Policy p = springfield();
    row.edit(p);
    const auto errors = problems(p);
    EXPECT_TRUE(reports(errors, row.field, row.says))
        << row.spec << ": expected " << row.field << " saying \"" << row.says << "\", got" << describe(errors);
    const Status s = validate(p);
    ASSERT_FALSE(s.ok()) << row.spec;
    EXPECT_EQ(s.error().code, ErrorCode::Validation);
  }
}

TEST(CreditPolicy, OneErrorListsEveryProblem) {
  Policy p = springfield();
  p.name = "";
  p.conversion.minutes_per_ceu = -1;
  p.tiers[1].level = 1;
  p.caps[0].format = "podcast";
  const Status s = validate(p);
  ASSERT_FALSE(s.ok());
  std::vector<std::string> fields;
  for (const auto& f : s.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"name", "conversion.hours_per_ceu", "tiers[1].level", "caps[0].format"}));
  EXPECT_NE(s.error().detail.find("tiers[1].level: tiers[0] (knowledge) is already level 1"), std::string::npos);
}

TEST(CreditPolicy, ImportReportsContradictionsOfAWellFormedFile) {
  auto j = springfield_json();
  j.as_object()["tiers"].as_array()[1].as_object()["level"] = 1;
  auto p = parse_policy(j);
  ASSERT_FALSE(p.ok());
  EXPECT_TRUE(reports(p.error().fields, "tiers[1].level", "overlap"));
}

TEST(CreditPolicy, RoundingRules) {
  struct Row {
    Rounding rule;
    std::int64_t minutes, expected;
  };
  const std::vector<Row> rows = {
      {Rounding::None, 7, 7},
      {Rounding::NearestQuarterHour, 52, 45},
      {Rounding::NearestQuarterHour, 53, 60},  // 8 of 15 rounds up
      {Rounding::NearestQuarterHour, 7, 0},
      {Rounding::NearestQuarterHour, 8, 15},
      {Rounding::DownToQuarterHour, 59, 45},
      {Rounding::NearestHalfHour, 44, 30},
      {Rounding::NearestHalfHour, 45, 60},  // a tie rounds up
      {Rounding::DownToHalfHour, 89, 60},
      {Rounding::NearestHour, 90, 120},
      {Rounding::NearestHour, 89, 60},
      {Rounding::DownToHour, 119, 60},
      {Rounding::DownToHour, 0, 0},
      {Rounding::NearestHour, -5, 0},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(round_minutes(r.minutes, r.rule), r.expected) << to_string(r.rule) << " of " << r.minutes;
    EXPECT_EQ(parse_rounding(to_string(r.rule)), r.rule);
  }
}

TEST(CreditPolicy, AmountsReadAsPeopleSayThem) {
  EXPECT_EQ(hours_text(60), "1 hour");
  EXPECT_EQ(hours_text(6000), "100 hours");
  EXPECT_EQ(hours_text(90), "1.5 hours");
  EXPECT_EQ(hours_text(45), "0.75 hours");
  EXPECT_EQ(hours_text(3), "0.05 hours");
  EXPECT_EQ(hours_text(7), "7 minutes");
  EXPECT_EQ(hours_text(1), "1 minute");
  EXPECT_EQ(hours_text(0), "0 hours");
}
