// Activity use cases against a real database, on every backend.
#include "activities/service.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "accounts/service.hpp"
#include "catalog/service.hpp"
#include "db/testing.hpp"

using namespace staffroom;
using namespace staffroom::activities;

class Activities : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db::test_support::available(GetParam())) GTEST_SKIP() << "set STAFFROOM_TEST_PG to a PostgreSQL admin URL";
    crypto::set_password_cost({1, 8192});
    t_ = std::make_unique<db::test_support::TestDatabase>(GetParam());
    accounts_ = std::make_unique<accounts::AccountsService>(t_->db(), accounts::AccountsConfig{});
    catalog_ = std::make_unique<catalog::CatalogService>(t_->db());
    svc_ = std::make_unique<ActivityService>(t_->db(), ServiceConfig{"https://pd.example.org"});
    admin_ = person("admin@example.org");
    ASSERT_TRUE(accounts_->grant_role(admin_.user_id, "site_admin", "", "").ok());
    admin_ = refreshed(admin_);
  }
  void TearDown() override { crypto::set_password_cost(crypto::default_password_cost()); }

  Identity person(const std::string& email) {
    auto s = accounts_->sign_up(email, "a long password", "Someone");
    EXPECT_TRUE(s.ok());
    return **accounts_->authenticate_session(s->session_token);
  }
  Identity refreshed(const Identity& who) {
    auto s = accounts_->sign_in(who.email, "a long password", "10.0.0.1");
    return **accounts_->authenticate_session(s->session_token);
  }
  // A campaign around today, and an approved partner whose staff is `staff`.
  void campaign(const std::string& slug, const std::string& starts_on, const std::string& ends_on) {
    catalog::Campaign c;
    c.slug = slug;
    c.name = "Campaign " + slug;
    c.starts_on = starts_on;
    c.ends_on = ends_on;
    c.time_zone = "UTC";
    auto created = catalog_->create_campaign(c);
    ASSERT_TRUE(created.ok()) << created.error().detail;
  }
  Identity partner(const std::string& campaign_slug, const std::string& org_slug, Identity staff) {
    catalog::Organization o{0, org_slug, "Org " + org_slug, "nonprofit", "", "", "", "pd@" + org_slug + ".org", 0};
    auto applied = catalog_->apply(campaign_slug, staff, o);
    EXPECT_TRUE(applied.ok()) << applied.error().detail;
    EXPECT_TRUE(catalog_->decide(campaign_slug, org_slug, catalog::PartnerStatus::Approved, "", admin_).ok());
    return refreshed(staff);
  }
  static std::string around_now(int days) {
    return format_date(static_cast<int>(now_ms() / (24LL * 3600 * 1000)) + days);
  }
  static std::string local_in(EpochMs from_now) { return format_local_time(*utc_to_local(now_ms() + from_now, "UTC")); }
  ActivityInput live(const std::string& title, EpochMs from_now, std::optional<int> capacity = std::nullopt) {
    ActivityInput in;
    in.title = title;
    in.format = "webinar";
    in.start = local_in(from_now);
    in.duration_minutes = 60;
    in.capacity = capacity;
    return in;
  }
  Activity approved(const std::string& org, const std::string& campaign_slug, const ActivityInput& in,
                    const Identity& staff) {
    auto a = svc_->create(org, campaign_slug, in, staff);
    EXPECT_TRUE(a.ok()) << a.error().detail;
    EXPECT_TRUE(svc_->submit(a->id, staff).ok());
    auto d = svc_->decide(campaign_slug, a->id, true, "", admin_);
    EXPECT_TRUE(d.ok()) << d.error().detail;
    return *d;
  }

  std::unique_ptr<db::test_support::TestDatabase> t_;
  std::unique_ptr<accounts::AccountsService> accounts_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<ActivityService> svc_;
  Identity admin_;
};

constexpr EpochMs kDay = 24LL * 3600 * 1000;

TEST_P(Activities, OnlyApprovedPartnersOfferAndOnlyOrganizersDecide) {
  campaign("cem", around_now(-150), around_now(150));
  auto staff = person("host@example.org");
  auto out = svc_->create("nobody", "cem", live("x", kDay), staff);
  EXPECT_EQ(out.error().code, ErrorCode::NotFound);
  catalog::Organization o{0, "waiting", "Waiting", "nonprofit", "", "", "", "pd@w.org", 0};
  ASSERT_TRUE(catalog_->apply("cem", staff, o).ok());
  staff = refreshed(staff);
  auto pending = svc_->create("waiting", "cem", live("x", kDay), staff);
  ASSERT_EQ(pending.error().code, ErrorCode::Validation);
  EXPECT_EQ(pending.error().fields[0].field, "campaign");

  staff = partner("cem", "iste", staff);
  auto a = svc_->create("iste", "cem", live("Flipped classrooms", kDay), staff);
  ASSERT_TRUE(a.ok()) << a.error().detail;
  EXPECT_EQ(a->status, ActivityStatus::Draft);
  // A stranger sees no draft and cannot change it.
  auto stranger = person("stranger@example.org");
  EXPECT_EQ(svc_->get(a->id, &stranger).error().code, ErrorCode::NotFound);
  EXPECT_EQ(svc_->get(a->id, nullptr).error().code, ErrorCode::NotFound);
  EXPECT_EQ(svc_->submit(a->id, stranger).error().code, ErrorCode::NotFound);
  // Deciding needs a submitted activity and, to decline, a reason.
  EXPECT_EQ(svc_->decide("cem", a->id, true, "", admin_).error().code, ErrorCode::Conflict);
  ASSERT_TRUE(svc_->submit(a->id, staff).ok());
  EXPECT_EQ(svc_->decide("cem", a->id, false, " ", admin_).error().code, ErrorCode::Validation);
  auto declined = svc_->decide("cem", a->id, false, "Add a join link", admin_);
  ASSERT_TRUE(declined.ok());
  EXPECT_EQ(declined->reason, "Add a join link");
  ASSERT_TRUE(svc_->submit(a->id, staff).ok());
  auto ok = svc_->decide("cem", a->id, true, "", admin_);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(svc_->get(a->id, nullptr)->status, ActivityStatus::Approved);
  EXPECT_GT(ok->sequence, a->sequence);
}

TEST_P(Activities, AFacilitatorOfManyActivitiesIsOnePerson) {
  campaign("cem", around_now(-150), around_now(150));
  auto staff = partner("cem", "iste", person("host@example.org"));
  auto in = live("One", kDay);
  in.facilitators =
      std::vector<FacilitatorInput>{{"", "Tom Whitby", "edchat", "Founder of #edchat", "", "facilitator"}};
  auto first = approved("iste", "cem", in, staff);
  in.title = "Two";
  in.facilitators = std::vector<FacilitatorInput>{{"", "tom whitby", "EDCHAT", "", "", "speaker"}};
  auto second = approved("iste", "cem", in, staff);
  ASSERT_EQ(first.facilitators.size(), 1u);
  EXPECT_EQ(first.facilitators[0].slug, second.facilitators[0].slug);
  auto page = svc_->person(first.facilitators[0].slug);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->activities.size(), 2u);
  EXPECT_EQ(page->person.bio, "Founder of #edchat");
}

TEST_P(Activities, CancellingPromotesTheWaitingListInOrder) {
  campaign("cem", around_now(-150), around_now(150));
  auto staff = partner("cem", "iste", person("host@example.org"));
  auto a = approved("iste", "cem", live("Small room", kDay, 1), staff);
  auto ann = person("ann@example.org"), bob = person("bob@example.org"), cat = person("cat@example.org");
  EXPECT_EQ(svc_->register_for(a.id, ann)->seat, Seat::Registered);
  auto b = svc_->register_for(a.id, bob);
  EXPECT_EQ(b->seat, Seat::Waitlisted);
  EXPECT_EQ(b->waitlist_position, 1);
  EXPECT_EQ(svc_->register_for(a.id, cat)->waitlist_position, 2);
  EXPECT_EQ(svc_->register_for(a.id, bob).error().code, ErrorCode::Conflict);

  ASSERT_TRUE(svc_->cancel_registration(a.id, ann).ok());
  auto bobs = svc_->schedule(bob);
  ASSERT_EQ(bobs->size(), 1u);
  EXPECT_EQ((*bobs)[0].status, "registered");
  auto cats = svc_->schedule(cat);
  EXPECT_EQ((*cats)[0].waitlist_position, 1);
  EXPECT_EQ(svc_->cancel_registration(a.id, ann).error().code, ErrorCode::NotFound);

  // Capacity cannot drop below who is registered; raising it lets people in.
  ActivityInput smaller;
  smaller.capacity = std::optional(0);
  EXPECT_EQ(svc_->update(a.id, smaller, staff).error().code, ErrorCode::Validation);
  ActivityInput bigger;
  bigger.capacity = std::optional(5);
  ASSERT_TRUE(svc_->update(a.id, bigger, staff).ok());
  EXPECT_EQ((*svc_->schedule(cat))[0].status, "registered");
}

TEST_P(Activities, PeopleRacingForTheLastSeatGetExactlyOne) {
  campaign("cem", around_now(-150), around_now(150));
  auto staff = partner("cem", "iste", person("host@example.org"));
  auto a = approved("iste", "cem", live("Last seat", kDay, 1), staff);
  std::vector<Identity> people;
  for (int i = 0; i < 8; ++i) people.push_back(person("racer" + std::to_string(i) + "@example.org"));
  std::atomic<int> seats{0}, waiting{0}, failed{0};
  std::vector<std::thread> threads;
  for (const auto& p : people) {
    threads.emplace_back([&, p] {
      auto r = svc_->register_for(a.id, p);
      if (!r.ok()) {
        ++failed;
      } else if (r->seat == Seat::Registered) {
        ++seats;
      } else {
        ++waiting;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(seats.load(), 1);
  EXPECT_EQ(waiting.load(), 7);
}

TEST_P(Activities, CheckInOnlyWithTheCodeAndInsideTheWindow) {
  campaign("cem", around_now(-150), around_now(150));
  auto staff = partner("cem", "iste", person("host@example.org"));
  auto soon = approved("iste", "cem", live("Starting soon", 5 * 60 * 1000), staff);
  auto later = approved("iste", "cem", live("Tomorrow", kDay), staff);
  auto ed = person("ed@example.org");
  EXPECT_EQ(svc_->check_in_code(soon.id, ed).error().code, ErrorCode::Forbidden);
  auto code = svc_->check_in_code(soon.id, staff);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->check_in_url, "https://pd.example.org/check-in/" + std::to_string(soon.id) + "?code=" + code->code);
  EXPECT_EQ(svc_->check_in(soon.id, "WRONG1", ed).error().code, ErrorCode::Validation);
  std::string lower = code->code;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto rec = svc_->check_in(soon.id, " " + lower + " ", ed);
  ASSERT_TRUE(rec.ok()) << rec.error().detail;
  EXPECT_EQ(rec->minutes, 60);
  EXPECT_EQ(svc_->check_in(soon.id, code->code, ed).error().code, ErrorCode::Conflict);
  auto later_code = svc_->check_in_code(later.id, staff);
  auto outside = svc_->check_in(later.id, later_code->code, ed);
  ASSERT_EQ(outside.error().code, ErrorCode::Validation);
  EXPECT_NE(outside.error().fields[0].message.find("next session starts"), std::string::npos);
  EXPECT_EQ(svc_->my_attendance(ed)->size(), 1u);
}

TEST_P(Activities, AttendanceListsAreAllOrNothingAndReplaceTheLastOne) {
  campaign("cem", around_now(-150), around_now(150));
  auto staff = partner("cem", "iste", person("host@example.org"));
  auto a = approved("iste", "cem", live("Webinar", -2 * kDay), staff);
  auto bad =
      svc_->upload_attendance(a.id, "email,minutes\nann@example.org,60\nnot-an-email,30\nbob@example.org,-5\n", staff);
  ASSERT_EQ(bad.error().code, ErrorCode::Validation);
  ASSERT_EQ(bad.error().fields.size(), 2u);
  EXPECT_EQ(bad.error().fields[0].field, "line 3: email");
  EXPECT_EQ(bad.error().fields[1].field, "line 4: minutes");
  EXPECT_TRUE(svc_->attendance(a.id, staff)->empty());
  ASSERT_EQ(*svc_->upload_attendance(a.id, "Ann@Example.org,60\r\nbob@example.org,45\r\n", staff), 2);
  ASSERT_EQ(*svc_->upload_attendance(a.id, "email,minutes\nann@example.org,90\n", staff), 1);
  auto list = svc_->attendance(a.id, staff);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].email, "ann@example.org");
  EXPECT_EQ((*list)[0].minutes, 90);
  auto impact = svc_->impact("cem");
  EXPECT_EQ(impact->attendees, 1);
  EXPECT_DOUBLE_EQ(impact->pd_hours, 1.5);
}

TEST_P(Activities, CsvImportReportsEveryBadLineAndImportsNothingUntilClean) {
  campaign("cem", around_now(-150), around_now(150));
  auto staff = partner("cem", "iste", person("host@example.org"));
  const std::string bad =
      "title,format,start,duration_minutes,recurrence,facilitators\n"
      "Good one,webinar,2030-08-07T19:00,60,,Ann Lee | ISTE\n"
      "No end,live_chat,2030-08-08T19:00,60,FREQ=WEEKLY,\n"
      "Backwards,webinar,2030-08-09T19:00,0,,\n";
  auto r = svc_->import_csv("iste", "cem", bad, staff);
  ASSERT_EQ(r.error().code, ErrorCode::Validation);
  ASSERT_EQ(r.error().fields.size(), 2u);
  EXPECT_EQ(r.error().fields[0].field, "line 3: recurrence");
  EXPECT_EQ(r.error().fields[1].field, "line 4: duration_minutes");
  EXPECT_TRUE(svc_->organization_activities("iste", "")->empty());

  auto ok = svc_->import_csv("iste", "cem",
                             "title,format,start,duration_minutes,facilitators\n"
                             "\"Chat, with commas\",live_chat,2030-08-08T19:00,30,Ann Lee | ISTE; Bo Chen\n",
                             staff);
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  ASSERT_EQ(ok->size(), 1u);
  EXPECT_EQ((*ok)[0].title, "Chat, with commas");
  EXPECT_EQ((*ok)[0].facilitators.size(), 2u);
  EXPECT_EQ((*ok)[0].status, ActivityStatus::Draft);
}

TEST_P(Activities, SearchFindsWordsPrefixesAndFilters) {
  campaign("cem", around_now(-150), around_now(150));
  auto staff = partner("cem", "iste", person("host@example.org"));
  auto in = live("Flipped classrooms in mathematics", kDay);
  in.audience = Audience{{"teacher"}, {"6-8"}, {"math"}};
  in.pd_hours = 1;
  approved("iste", "cem", in, staff);
  auto chat = live("Weekly edchat", 2 * kDay);
  chat.format = "social_media_chat";
  approved("iste", "cem", chat, staff);
  ASSERT_TRUE(svc_->create("iste", "cem", live("Flipped draft", kDay), staff).ok());

  auto titles = [&](Search s) {
    std::vector<std::string> out;
    auto page = svc_->search("cem", s, 0, 20);
    EXPECT_TRUE(page.ok());
    for (const auto& a : page->items) out.push_back(a.title);
    return out;
  };
  Search q;
  q.text = "flip math";
  EXPECT_EQ(titles(q), std::vector<std::string>{"Flipped classrooms in mathematics"});
  Search f;
  f.formats = {"social_media_chat"};
  EXPECT_EQ(titles(f), std::vector<std::string>{"Weekly edchat"});
  Search hours;
  hours.offers_hours = true;
  hours.grades = {"6-8"};
  EXPECT_EQ(titles(hours).size(), 1u);
  Search sorted;
  sorted.sort = "title";
  EXPECT_EQ(titles(sorted), (std::vector<std::string>{"Flipped classrooms in mathematics", "Weekly edchat"}));
  Search window;
  window.from = now_ms() + kDay + 3 * 3600 * 1000;
  EXPECT_EQ(titles(window), std::vector<std::string>{"Weekly edchat"});
  Search odd;
  odd.text = "\"*) OR NEAR(";
  EXPECT_TRUE(svc_->search("cem", odd, 0, 20).ok());
  auto page = svc_->search("cem", Search{}, 0, 1);
  EXPECT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->next_after, 1);
}

TEST_P(Activities, NewPartnershipsAreCountedAgainstEarlierCampaigns) {
  campaign("cem-2011", "2011-08-01", "2011-08-31");
  campaign("cem-2012", "2012-08-01", "2012-08-31");
  auto a = person("a@example.org"), b = person("b@example.org"), c = person("c@example.org");
  a = partner("cem-2011", "org-a", a);
  b = partner("cem-2011", "org-b", b);
  a = partner("cem-2012", "org-a", a);
  b = partner("cem-2012", "org-b", b);
  c = partner("cem-2012", "org-c", c);
  auto cohosted = [&](const std::string& campaign_slug, const std::string& co, Identity& co_staff) {
    auto in = live("Together", kDay);
    in.co_hosts = std::vector<std::string>{co};
    auto act = approved("org-a", campaign_slug, in, a);
    EXPECT_FALSE(act.co_hosted());
    auto confirmed = svc_->confirm_cohost(act.id, co, co_staff);
    EXPECT_TRUE(confirmed->co_hosted());
    return act;
  };
  cohosted("cem-2011", "org-b", b);
  cohosted("cem-2012", "org-b", b);  // the pair worked together in 2011
  cohosted("cem-2012", "org-c", c);  // new
  approved("org-a", "cem-2012", live("Alone", kDay), a);
  auto m = svc_->impact("cem-2012");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->organizations, 3);
  EXPECT_EQ(m->activities, 3);
  EXPECT_EQ(m->co_hosted_activities, 2);
  EXPECT_EQ(m->new_partnership_activities, 1);
  EXPECT_NEAR(m->new_partnership_share, 1.0 / 3, 1e-9);
  auto pairs = svc_->partnerships("cem-2012");
  ASSERT_EQ(pairs->size(), 2u);
  int fresh = 0;
  for (const auto& p : *pairs) fresh += p.is_new;
  EXPECT_EQ(fresh, 1);
}

TEST_P(Activities, FeedsCarryEveryPublicActivityAndPersonalLinksCanBeRevoked) {
  campaign("cem", around_now(-150), around_now(150));
  auto staff = partner("cem", "iste", person("host@example.org"));
  auto a = approved("iste", "cem", live("Webinar", kDay), staff);
  auto feed = svc_->campaign_calendar("cem");
  ASSERT_TRUE(feed.ok());
  EXPECT_NE(feed->find("SUMMARY:Webinar"), std::string::npos);
  ASSERT_TRUE(svc_->cancel(a.id, "Speaker unwell", staff).ok());
  auto after = svc_->campaign_calendar("cem");
  EXPECT_NE(after->find("STATUS:CANCELLED"), std::string::npos) << "the cached feed follows changes";

  auto ed = person("ed@example.org");
  auto b = approved("iste", "cem", live("Another", 2 * kDay), staff);
  ASSERT_TRUE(svc_->register_for(b.id, ed).ok());
  auto token = svc_->new_calendar_token(ed);
  ASSERT_TRUE(token.ok());
  EXPECT_NE(svc_->personal_calendar(*token)->find("SUMMARY:Another"), std::string::npos);
  auto replaced = svc_->new_calendar_token(ed);
  EXPECT_EQ(svc_->personal_calendar(*token).error().code, ErrorCode::NotFound);
  ASSERT_TRUE(svc_->revoke_calendar_token(ed).ok());
  EXPECT_EQ(svc_->personal_calendar(*replaced).error().code, ErrorCode::NotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, Activities, ::testing::ValuesIn(db::test_support::backends()),
                         [](const auto& p) { return p.param; });
