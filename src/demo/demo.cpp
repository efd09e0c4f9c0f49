#include "demo/demo.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <set>

#include "activities/model.hpp"
#include "activities/store.hpp"
#include "catalog/store.hpp"
#include "core/calendar.hpp"
#include "core/json.hpp"
#include "core/markdown.hpp"

namespace staffroom::demo {

namespace {

using activities::Activity;
using activities::ActivityInput;
using activities::Session;

// A fixed-seed generator with our own range reduction, so the demo is the
// same on every machine and standard library.
class Rng {
 public:
  explicit Rng(std::uint32_t seed) : engine_(seed) {}
  int below(int n) { return static_cast<int>(engine_() % static_cast<std::uint32_t>(n)); }
  int between(int lo, int hi) { return lo + below(hi - lo + 1); }
  template <std::size_t N>
  const char* pick(const std::array<const char*, N>& list) {
    return list[static_cast<std::size_t>(below(static_cast<int>(N)))];
  }

 private:
  std::mt19937 engine_;
};

constexpr std::array<const char*, 40> kFirst = {
    "Ada",    "Ben",    "Carmen", "Dev",  "Elena", "Farid", "Grace", "Hiro",  "Imani", "Jonas",
    "Kira",   "Luis",   "Maya",   "Noah", "Olu",   "Priya", "Quinn", "Rosa",  "Sam",   "Tariq",
    "Uma",    "Victor", "Wen",    "Xena", "Yusuf", "Zoe",   "Amara", "Bruno", "Chloe", "Diego",
    "Esther", "Felix",  "Gita",   "Hugo", "Ines",  "Jamal", "Keiko", "Leon",  "Mira",  "Nadia"};
constexpr std::array<const char*, 60> kLast = {
    "Abbott",   "Baker",   "Castillo", "Diaz",     "Evans",   "Fischer", "Garcia",    "Huang",  "Ibrahim", "Jensen",
    "Kowalski", "Lopez",   "Mensah",   "Nakamura", "Okafor",  "Patel",   "Quintero",  "Rossi",  "Schmidt", "Tanaka",
    "Usman",    "Varga",   "Walsh",    "Xu",       "Yilmaz",  "Zhang",   "Adams",     "Brooks", "Chen",    "Dubois",
    "Ellis",    "Flores",  "Gupta",    "Hughes",   "Ito",     "Johnson", "Kim",       "Lee",    "Martin",  "Nguyen",
    "Ortiz",    "Park",    "Quinn",    "Reyes",    "Singh",   "Torres",  "Underwood", "Vega",   "Wright",  "Young",
    "Alvarez",  "Bennett", "Cruz",     "Davis",    "Edwards", "Foster",  "Gomez",     "Harris", "Iyer",    "Jackson"};
constexpr std::array<const char*, 24> kOrgWords = {
    "Digital", "Connected", "Open",    "Future", "Learning",  "Teaching", "Literacy", "Science",
    "Maths",   "Rural",     "Urban",   "Global", "Civic",     "Maker",    "Library",  "Early Years",
    "STEM",    "Arts",      "Leaders", "Mentor", "Inclusive", "Language", "Coding",   "Wellbeing"};
constexpr std::array<const char*, 12> kOrgNouns = {"Network",  "Collaborative", "Alliance",   "Institute",
                                                   "Project",  "Foundation",    "Consortium", "Society",
                                                   "Exchange", "Lab",           "Commons",    "Guild"};
constexpr std::array<const char*, 36> kTopics = {"Flipped classrooms",
                                                 "Personal learning networks",
                                                 "Project-based learning",
                                                 "Digital citizenship",
                                                 "Formative assessment",
                                                 "Blogging with students",
                                                 "Coding in the early grades",
                                                 "Open educational resources",
                                                 "Twitter for teachers",
                                                 "Universal design for learning",
                                                 "Math talks",
                                                 "Reading workshop online",
                                                 "Science notebooks",
                                                 "Mentoring new teachers",
                                                 "Leading connected schools",
                                                 "Family engagement online",
                                                 "Makerspaces",
                                                 "Data teams",
                                                 "English learners online",
                                                 "Student voice",
                                                 "Game-based learning",
                                                 "Global collaboration",
                                                 "Podcasting in class",
                                                 "Social-emotional learning",
                                                 "Media literacy",
                                                 "Inquiry science",
                                                 "Virtual field trips",
                                                 "Curating resources",
                                                 "Teacher action research",
                                                 "Online courses for teachers",
                                                 "Peer coaching",
                                                 "Rural connectivity",
                                                 "Assessment for learning",
                                                 "Writing with technology",
                                                 "Accessible materials",
                                                 "Community of practice"};
constexpr std::array<const char*, 10> kSubjects = {
    "math",      "science",   "english", "social studies",    "arts",
    "computing", "languages", "health",  "special education", "leadership"};
constexpr std::array<const char*, 8> kKinds = {"nonprofit",  "association", "district",   "school",
                                               "university", "company",     "government", "community"};

struct Format {
  const char* name;
  int weight;  // share of activities
  int registrants_lo, registrants_hi;
  int minutes_lo, minutes_hi;  // live: session length; self-paced: time spent
  bool self_paced;
  int sessions;  // weekly sessions of a series
};
constexpr std::array<Format, 8> kFormats = {{
    {"webinar", 40, 120, 260, 60, 60, false, 1},
    {"live_chat", 9, 40, 120, 60, 60, false, 1},
    {"social_media_chat", 9, 90, 200, 60, 60, false, 4},
    {"online_course", 8, 150, 300, 180, 360, true, 0},
    {"forum_discussion", 9, 60, 160, 45, 150, true, 0},
    {"community_open_house", 12, 60, 160, 90, 90, false, 1},
    {"unconference", 5, 90, 200, 180, 180, false, 1},
    {"self_paced", 8, 60, 160, 60, 180, true, 0},
}};

const Format& format_for(int i) {
  int slot = i % 100, acc = 0;
  for (const auto& f : kFormats) {
    acc += f.weight;
    if (slot < acc) return f;
  }
  return kFormats[0];
}

catalog::Campaign campaign(int year, const std::string& scale_slug = "") {
  catalog::Campaign c;
  const bool main = year == 2012;
  c.slug = !scale_slug.empty() ? scale_slug : main ? kCampaign : kPilot;
  c.name = !scale_slug.empty() ? "Scale campaign " + scale_slug
           : main              ? "Connected Educator Month"
                               : "Connected Educator Pilot";
  c.description = main ? "A month of free online professional learning for educators: webinars, chats, courses and "
                         "open houses offered by partner organizations, with a theme each week."
                       : "The pilot month a year earlier, where the first partner organizations worked together.";
  const std::string y = std::to_string(year);
  c.starts_on = y + "-08-01";
  c.ends_on = y + "-08-31";
  c.time_zone = "America/New_York";
  c.themes = {{"Getting connected", "Join a community and take a first online course.", y + "-08-01", y + "-08-07"},
              {"Learning in networks", "Chats, forums and personal learning networks.", y + "-08-08", y + "-08-14"},
              {"Leading connected schools", "Leaders who model connected learning.", y + "-08-15", y + "-08-21"},
              {"Sharing what works", "Bring a colleague online and share practice.", y + "-08-22", y + "-08-31"}};
  c.hashtags = main ? std::vector<std::string>{"ce12", "edchat"} : std::vector<std::string>{"ce11"};
  return c;
}

struct Org {
  std::int64_t id = 0;
  std::string slug, name;
};

struct Loader {
  Loader(db::Connection& conn, const Sizes& s, const Progress& p) : c(conn), sizes(s), progress(p) {}
  db::Connection& c;
  const Sizes& sizes;
  const Progress& progress;
  EpochMs now = now_ms();
  std::vector<Org> orgs;
  std::vector<std::int64_t> people;                             // person ids
  std::vector<std::pair<std::int64_t, std::string>> educators;  // user id, email
  std::optional<std::pair<std::int64_t, std::string>> demo_educator;
  Summary summary;

  void report(const std::string& step, int done, int total) {
    if (progress) progress(step, done, total);
  }

  Result<std::int64_t> ensure_campaign(const catalog::Campaign& k) {
    SR_ASSIGN(auto found, catalog::store::find_campaign(c, k.slug));
    if (found) return found->id;
    SR_ASSIGN(auto id, catalog::store::insert_campaign(c, k, now));
    auto with_id = k;
    with_id.id = id;
    SR_TRY(catalog::store::replace_themes_and_hashtags(c, with_id));
    return id;
  }

  Status organizations(std::int64_t main_id, std::int64_t pilot_id) {
    for (int i = 0; i < sizes.organizations; ++i) {
      const std::string name =
          std::string(kOrgWords[static_cast<std::size_t>(i) % kOrgWords.size()]) + " " +
          kOrgNouns[static_cast<std::size_t>(i / static_cast<int>(kOrgWords.size())) % kOrgNouns.size()] +
          (i >= static_cast<int>(kOrgWords.size() * kOrgNouns.size())
               ? " " + std::to_string(i / static_cast<int>(kOrgWords.size() * kOrgNouns.size()) + 1)
               : "");
      catalog::Organization o;
      o.slug = json::slugify(name, 80);
      o.name = name;
      o.kind = kKinds[static_cast<std::size_t>(i) % kKinds.size()];
      o.website = "https://" + o.slug + ".example.org";
      o.description = "A demo partner organization offering online professional learning.";
      o.contact_email = "partners@" + o.slug + ".example.org";
      SR_ASSIGN(auto id, catalog::store::insert_organization(c, o, 0, now));
      SR_TRY(catalog::store::insert_application(c, main_id, id, 0, now));
      SR_TRY(catalog::store::decide_application(c, main_id, id, catalog::PartnerStatus::Approved, "", 0, now));
      // The first organizations also took part in the pilot.
      if (pilot_id && i < sizes.pilot_activities + 1) {
        SR_TRY(catalog::store::insert_application(c, pilot_id, id, 0, now));
        SR_TRY(catalog::store::decide_application(c, pilot_id, id, catalog::PartnerStatus::Approved, "", 0, now));
      }
      orgs.push_back({id, o.slug, o.name});
      if (i % 25 == 0 || i + 1 == sizes.organizations) report("organizations", i + 1, sizes.organizations);
    }
    return {};
  }

  Status facilitators() {
    for (int k = 0; k < sizes.people; ++k) {
      activities::FacilitatorInput f;
      f.name = std::string(kFirst[static_cast<std::size_t>(k) % kFirst.size()]) + " " +
               kLast[static_cast<std::size_t>(k / static_cast<int>(kFirst.size())) % kLast.size()];
      f.affiliation = k < static_cast<int>(kFirst.size() * kLast.size())
                          ? orgs[static_cast<std::size_t>(k) % orgs.size()].name
                          : orgs[static_cast<std::size_t>(k * 7) % orgs.size()].name + " (" + std::to_string(k) + ")";
      f.bio = "Educator and facilitator of online professional learning.";
      SR_ASSIGN(auto p, activities::store::person_for(c, f, now));
      people.push_back(p.id);
      if (k % 200 == 0 || k + 1 == sizes.people) report("facilitators", k + 1, sizes.people);
    }
    return {};
  }

  Status educator_accounts() {
    std::vector<std::vector<db::Value>> rows;
    rows.reserve(static_cast<std::size_t>(sizes.educators));
    for (int n = 0; n < sizes.educators; ++n) {
      const std::string name = std::string(kFirst[static_cast<std::size_t>(n * 7) % kFirst.size()]) + " " +
                               kLast[static_cast<std::size_t>(n * 13) % kLast.size()];
      // No password: these accounts exist for the figures, not to sign in.
      rows.push_back({fmt::format("educator{:05}@demo.staffroom.test", n), name, std::string("!"), now, now});
    }
    const std::string_view cols[] = {"email", "display_name", "password_hash", "created_at", "updated_at"};
    SR_TRY(c.bulk_insert("users", cols, rows));
    SR_ASSIGN(auto found,
              c.query(db::Sql{"SELECT id, email FROM users WHERE email LIKE 'educator%@demo.staffroom.test' "
                              "ORDER BY email"}));
    for (const auto& r : found.rows) educators.emplace_back(r.int64(0), r.text(1));
    report("educators", static_cast<int>(educators.size()), sizes.educators);
    const db::Value demo_email[] = {std::string(kDemoEducator)};
    SR_ASSIGN(auto demo, c.query(db::Sql{"SELECT id, email FROM users WHERE email = $1"}, demo_email));
    if (!demo.empty()) demo_educator.emplace(demo.front().int64(0), demo.front().text(1));
    summary.educators = static_cast<int>(educators.size());
    return {};
  }

  // One approved activity with its co-hosts confirmed; returns it as stored.
  Result<Activity> activity(const catalog::Campaign& k, std::int64_t campaign_id, int i, int year, int host,
                            const std::vector<int>& cohosts, const std::vector<int>& facilitator_slots, Rng& rng) {
    const Format& f = format_for(i);
    const int day = 1 + (i * 30) / std::max(1, year == 2011 ? sizes.pilot_activities : sizes.activities);
    const int week = std::min(3, (day - 1) / 7);
    ActivityInput in;
    const std::string topic = kTopics[static_cast<std::size_t>(i * 11 + year) % kTopics.size()];
    in.title = topic + ": " +
               std::string(f.name == std::string("webinar")                ? "a webinar"
                           : f.name == std::string("live_chat")            ? "live chat"
                           : f.name == std::string("social_media_chat")    ? "weekly chat"
                           : f.name == std::string("online_course")        ? "an online course"
                           : f.name == std::string("forum_discussion")     ? "forum discussion"
                           : f.name == std::string("community_open_house") ? "community open house"
                           : f.name == std::string("unconference")         ? "an unconference"
                                                                           : "self-paced module");
    in.description = "**" + topic + "** for educators who want to try it this school year.\n\n" +
                     "Bring a colleague: every session ends with time to plan together.";
    in.format = f.name;
    const std::string date = fmt::format("{}-08-{:02}", year, day);
    if (f.self_paced) {
      in.available_from = date;
      in.available_until = fmt::format("{}-08-31", year);
      in.duration_minutes = f.minutes_hi;
    } else {
      in.start = date + fmt::format("T{:02}:00", 12 + (i % 8));
      in.duration_minutes = f.minutes_lo;
      if (f.sessions > 1) in.recurrence = fmt::format("FREQ=WEEKLY;COUNT={}", std::min(f.sessions, 5 - week));
      if (i % 9 == 4) in.time_zone = "America/Chicago";
      if (i % 9 == 7) in.time_zone = "America/Los_Angeles";
    }
    in.join_url = "https://meet.example.org/" + std::to_string(year) + "-" + std::to_string(i);
    in.capacity = std::optional<int>(f.registrants_hi + 100);
    in.pd_hours = f.self_paced ? f.minutes_hi / 60.0 : f.minutes_lo * std::max(1, f.sessions) / 60.0;
    activities::Audience audience;
    audience.roles = {i % 5 == 0 ? "administrator" : "teacher"};
    audience.grade_bands = {i % 3 == 0 ? "k-2" : i % 3 == 1 ? "6-8" : "9-12"};
    audience.subjects = {kSubjects[static_cast<std::size_t>(i) % kSubjects.size()]};
    in.audience = audience;
    in.themes = std::vector<std::string>{k.themes[static_cast<std::size_t>(week)].title};
    in.language = i % 17 == 0 ? "es" : "en";
    in.accessibility = activities::Accessibility{i % 2 == 0, i % 4 == 0, i % 2 == 0 ? "Live captions." : ""};

    Activity a;
    a.campaign_id = campaign_id;
    a.campaign_slug = k.slug;
    const auto& h = orgs[static_cast<std::size_t>(host)];
    a.host = {h.id, h.slug, h.name, true};
    if (auto errors = activities::apply_input(a, in, k); !errors.empty()) {
      return Error::internal("demo activity " + std::to_string(i) + ": " + errors[0].field + " " + errors[0].message);
    }
    for (int co : cohosts) {
      const auto& o = orgs[static_cast<std::size_t>(co)];
      a.co_hosts.push_back({o.id, o.slug, o.name, true});
    }
    for (std::size_t s = 0; s < facilitator_slots.size(); ++s) {
      activities::Facilitator fac;
      fac.person_id = people[static_cast<std::size_t>(facilitator_slots[s]) % people.size()];
      const bool seen = std::any_of(a.facilitators.begin(), a.facilitators.end(),
                                    [&](const activities::Facilitator& x) { return x.person_id == fac.person_id; });
      if (seen) continue;
      fac.role = s == 0 ? "speaker" : "facilitator";
      a.facilitators.push_back(fac);
    }
    a.status = activities::ActivityStatus::Approved;
    a.description_html = render_markdown(a.description);
    a.checkin_code = activities::new_checkin_code();
    SR_ASSIGN(a.id, activities::store::insert_activity(c, a, 0, now));
    SR_TRY(activities::store::replace_children(c, a));
    for (const auto& o : a.co_hosts) SR_TRY(activities::store::confirm_cohost(c, a.id, o.id, now));
    SR_TRY(activities::store::index_for_search(c, a.id, a.campaign_id, activities::search_text(a)));
    (void)rng;
    return a;
  }

  // Registrations and attendance of one activity: distinct educators taken
  // with a stride through the list.
  void participation(const Activity& a, int i, Rng& rng, std::vector<std::vector<db::Value>>& regs,
                     std::vector<std::vector<db::Value>>& attended) {
    const Format& f = format_for(i);
    if (demo_educator && i % 30 == 3) {
      const auto& [user, email] = *demo_educator;
      regs.push_back({a.id, user, std::string("registered"), a.first_start - 86400000LL});
      const auto& first = a.sessions.empty() ? Session{a.first_start, a.first_start + 90LL * 60000} : a.sessions[0];
      attended.push_back({a.id, user, email, std::string(a.sessions.empty() ? "attendance_list" : "check_in"),
                          (first.ends_at - first.starts_at) / 60000, first.starts_at, first.ends_at, db::Value()});
    }
    const int n = static_cast<int>(educators.size());
    const int count = std::min(n, rng.between(f.registrants_lo, f.registrants_hi));
    constexpr std::array<int, 6> kStrides = {7919, 104729, 1299709, 15485863, 32452843, 49979687};
    const int stride = kStrides[static_cast<std::size_t>(i) % kStrides.size()] % n;
    const int start = rng.below(n);
    for (int k = 0; k < count; ++k) {
      const auto& [user, email] =
          educators[static_cast<std::size_t>((start + static_cast<std::int64_t>(k) * stride) % n)];
      regs.push_back({a.id, user, std::string("registered"), a.first_start - 86400000LL * (1 + k % 20)});
      if (rng.below(100) >= 79) continue;  // registered, did not come
      if (a.self_paced()) {
        attended.push_back({a.id, user, email, std::string("attendance_list"),
                            static_cast<std::int64_t>(rng.between(f.minutes_lo, f.minutes_hi)), a.first_start,
                            a.last_end, db::Value()});
        continue;
      }
      // Series: people come to some of the weekly sessions.
      const int sessions = static_cast<int>(a.sessions.size());
      const int first = sessions > 1 ? rng.below(sessions) : 0;
      const int last = sessions > 1 ? rng.between(first, sessions - 1) : 0;
      for (int s = first; s <= last; ++s) {
        const auto& session = a.sessions[static_cast<std::size_t>(s)];
        attended.push_back({a.id, user, email, std::string("check_in"),
                            static_cast<std::int64_t>((session.ends_at - session.starts_at) / 60000), session.starts_at,
                            session.starts_at + 5LL * 60000, db::Value()});
      }
    }
  }
};

}  // namespace

Result<Summary> load(db::Database& database, const Sizes& sizes, const Progress& progress) {
  return database.transaction<Summary>([&](db::Connection& c) -> Result<Summary> {
    Loader l(c, sizes, progress);
    const auto main_k = campaign(2012), pilot_k = campaign(2011);
    SR_ASSIGN(auto main_id, l.ensure_campaign(main_k));
    SR_ASSIGN(auto pilot_id, l.ensure_campaign(pilot_k));
    SR_ASSIGN(auto existing, activities::store::campaign_activity_ids(c, main_id, {"approved", "cancelled"}));
    if (!existing.empty()) return Summary{};
    SR_TRY(l.organizations(main_id, pilot_id));
    SR_TRY(l.facilitators());
    SR_TRY(l.educator_accounts());

    Rng rng(20120801);
    // The pilot: organization i co-hosted with i + 1.
    for (int i = 0; i < sizes.pilot_activities; ++i) {
      SR_TRY(l.activity(pilot_k, pilot_id, i, 2011, i, {i + 1}, {i}, rng));
    }
    // The month: about a third co-hosted by pairs new this year, a few by
    // pairs that already worked together in the pilot, the rest alone.
    const int n_orgs = sizes.organizations;
    const int repeat_pairs = std::min(20, sizes.pilot_activities);
    const int new_pairs = (sizes.activities * 34 + 99) / 100;
    std::vector<std::vector<db::Value>> regs, attended;
    int slot = 0;
    for (int i = 0; i < sizes.activities; ++i) {
      int host = i % n_orgs;
      std::vector<int> cohosts;
      if (i < repeat_pairs) {
        host = i;
        cohosts = {i + 1};
      } else if (i < repeat_pairs + new_pairs) {
        // Pairs (h, h + d) with d >= 2 never met in the pilot.
        const int k = i - repeat_pairs;
        host = k % n_orgs;
        cohosts = {(host + 2 + k / n_orgs * 3 + k % 5) % n_orgs};
      }
      std::vector<int> slots;
      const int count = 4 + i % 3 + (i % 7 == 0 ? 1 : 0);
      slots.reserve(static_cast<std::size_t>(count) + 1);
      for (int s = 0; s < count; ++s) slots.push_back(slot++);
      if (i % 10 == 0) slots.push_back(i % 25);  // a few well-known facilitators appear often
      SR_ASSIGN(auto a, l.activity(main_k, main_id, i, 2012, host, cohosts, slots, rng));
      l.participation(a, i, rng, regs, attended);
      if (i % 50 == 0 || i + 1 == sizes.activities) l.report("activities", i + 1, sizes.activities);
    }
    const std::string_view reg_cols[] = {"activity_id", "user_id", "status", "registered_at"};
    SR_ASSIGN(l.summary.registrations, c.bulk_insert("registrations", reg_cols, regs));
    l.report("registrations", static_cast<int>(regs.size()), static_cast<int>(regs.size()));
    const std::string_view att_cols[] = {"activity_id", "user_id",           "email",       "source",
                                         "minutes",     "session_starts_at", "recorded_at", "recorded_by"};
    SR_ASSIGN(l.summary.attendance, c.bulk_insert("attendance", att_cols, attended));
    l.report("attendance", static_cast<int>(attended.size()), static_cast<int>(attended.size()));
    l.summary.organizations = static_cast<int>(l.orgs.size());
    l.summary.activities = sizes.activities;
    l.summary.people = static_cast<int>(l.people.size());
    l.summary.created = true;
    return l.summary;
  });
}

Result<Summary> load_scale(db::Database& database, int campaigns, const Sizes& sizes, const Progress& progress) {
  return database.transaction<Summary>([&](db::Connection& c) -> Result<Summary> {
    Loader l(c, sizes, progress);
    std::vector<std::pair<catalog::Campaign, std::int64_t>> list;
    for (int n = 0; n < campaigns; ++n) {
      auto k = campaign(2013 + n % 10, fmt::format("scale-{:03}", n));
      SR_ASSIGN(auto id, l.ensure_campaign(k));
      list.emplace_back(std::move(k), id);
    }
    SR_TRY(l.organizations(list.front().second, 0));
    for (std::size_t n = 1; n < list.size(); ++n) {
      for (const auto& o : l.orgs) {
        SR_TRY(catalog::store::insert_application(c, list[n].second, o.id, 0, l.now));
        SR_TRY(catalog::store::decide_application(c, list[n].second, o.id, catalog::PartnerStatus::Approved, "", 0,
                                                  l.now));
      }
    }
    SR_TRY(l.facilitators());
    Rng rng(20130801);
    int slot = 0, done = 0;
    const int total = campaigns * sizes.activities;
    for (const auto& [k, id] : list) {
      const int year = std::stoi(k.starts_on.substr(0, 4));
      for (int i = 0; i < sizes.activities; ++i) {
        std::vector<int> cohosts;
        if (i % 3 == 0) cohosts = {(i + 2) % sizes.organizations};
        std::vector<int> slots;
        slots.reserve(6);
        for (int s = 0; s < 4 + i % 3; ++s) slots.push_back(slot++);
        SR_TRY(l.activity(k, id, i, year, i % sizes.organizations, cohosts, slots, rng));
        if (++done % 1000 == 0 || done == total) l.report("activities", done, total);
      }
    }
    l.summary.organizations = static_cast<int>(l.orgs.size());
    l.summary.activities = total;
    l.summary.people = static_cast<int>(l.people.size());
    l.summary.created = true;
    return l.summary;
  });
}

}  // namespace staffroom::demo
