// District rules in memory: fields, domains, join codes and the roster file.
#include "districts/model.hpp"

#include <gtest/gtest.h>

using namespace staffroom;
using namespace staffroom::districts;

namespace {
District springfield() {
  District d;
  d.slug = "springfield";
  d.name = "Springfield Public Schools";
  d.state = "OH";
  d.time_zone = "America/New_York";
  d.schools = {{0, "Lincoln Elementary"}, {0, "Springfield High"}};
  return d;
}

bool names(const std::vector<FieldError>& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.field == field) return true;
  return false;
}
}  // namespace

TEST(DistrictModel, AcceptsAWellFormedDistrict) {
  EXPECT_TRUE(check_district(springfield()).empty());
}

TEST(DistrictModel, NamesEveryBadField) {
  District d = springfield();
  d.slug = "Spring Field";
  d.name = "";
  d.state = "ZZ";
  d.time_zone = "Mars/Olympus";
  d.schools.push_back({0, "Lincoln Elementary"});
  const auto errors = check_district(d);
  EXPECT_TRUE(names(errors, "slug"));
  EXPECT_TRUE(names(errors, "name"));
  EXPECT_TRUE(names(errors, "state"));
  EXPECT_TRUE(names(errors, "time_zone"));
  EXPECT_TRUE(names(errors, "schools[2]"));
}

TEST(DistrictModel, NormalizesDomains) {
  EXPECT_EQ(normalize_domain(" @Springfield.K12.OH.us "), "springfield.k12.oh.us");
  EXPECT_EQ(normalize_domain("nodot"), std::nullopt);
  EXPECT_EQ(normalize_domain("-bad.org"), std::nullopt);
  EXPECT_EQ(normalize_domain("a..b"), std::nullopt);
  EXPECT_EQ(normalize_domain("sp ace.org"), std::nullopt);
  EXPECT_TRUE(is_public_mail_domain("gmail.com"));
  EXPECT_FALSE(is_public_mail_domain("springfield.k12.oh.us"));
  EXPECT_EQ(email_domain("ada@springfield.k12.oh.us"), "springfield.k12.oh.us");
}

TEST(DistrictModel, JoinCodesAvoidLookAlikesAndForgiveTyping) {
  for (int i = 0; i < 200; ++i) {
    const auto code = new_join_code();
    ASSERT_EQ(code.size(), 9u);
    EXPECT_EQ(code[4], '-');
    EXPECT_EQ(code.find_first_of("01OIL"), std::string::npos) << code;
    EXPECT_EQ(normalize_join_code(code), code);
  }
  EXPECT_EQ(normalize_join_code(" abcd efgh "), "ABCD-EFGH");
  EXPECT_EQ(normalize_join_code("abcd-efgh"), "ABCD-EFGH");
}

TEST(Roster, ReadsColumnsInAnyOrderAndCase) {
  auto r = parse_roster(
      "Role,EMAIL,name,School\r\napprover,Ada@Springfield.org,Ada Lovelace,Lincoln\n"
      ",bob@springfield.org,Bob,\n");
  ASSERT_TRUE(r.problems.empty()) << r.problems[0].field << ": " << r.problems[0].message;
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].email, "ada@springfield.org");
  EXPECT_EQ(r.rows[0].role, MemberRole::Approver);
  EXPECT_EQ(r.rows[0].school, "Lincoln");
  EXPECT_EQ(r.rows[1].role, MemberRole::Educator);
  EXPECT_EQ(r.rows[1].line, 3);
}

TEST(Roster, ReportsEveryBadRowByLineAndColumn) {
  struct Case {
    const char* name;
    const char* csv;
    std::vector<std::string> fields;
  };
  const Case cases[] = {
      {"empty file", "", {"file"}},
      {"header only", "email,name\n", {"file"}},
      {"unknown column", "email,name,grade\n", {"line 1, column 3"}},
      {"missing name column", "email,school\n", {"line 1"}},
      {"bad rows",
       "email,name,role\nnot-an-email,Ada,educator\nbob@x.org,,educator\ncy@x.org,Cy,principal\nbob@x.org,Bob,\n",
       {"line 2, email", "line 3, name", "line 4, role", "line 5, email"}},
      {"unterminated quote", "email,name\n\"ada@x.org,Ada\n", {"file"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = parse_roster(c.csv);
    std::vector<std::string> got;
    for (const auto& p : r.problems) got.push_back(p.field);
    EXPECT_EQ(got, c.fields);
  }
}

TEST(DistrictModel, FoldsCaseBeyondAscii) {
  EXPECT_EQ(fold_case("Élodie ÜNAL"), "élodie ünal");
  EXPECT_EQ(fold_case("ŁUKASZ Ŵ Ÿ"), "łukasz ŵ ÿ");
  EXPECT_EQ(fold_case("ΑΘΗΝΑ Москва"), "αθηνα москва");
  EXPECT_EQ(fold_case("jo_ann 100%"), "jo_ann 100%");
  EXPECT_EQ(fold_case(std::string("bad \xff byte")), std::string("bad \xff byte"));
  EXPECT_EQ(search_key("Élodie", "E@X.org"), "élodie e@x.org");
}
