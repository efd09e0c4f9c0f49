#include "activities/service.hpp"

#include <algorithm>
#include <set>

#include "accounts/model.hpp"
#include "accounts/store.hpp"
#include "activities/csv_format.hpp"
#include "activities/feed.hpp"
#include "catalog/store.hpp"
#include "core/crypto.hpp"
#include "core/csv.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "core/markdown.hpp"

namespace staffroom::activities {

namespace {

Error no_activity(std::int64_t id) {
  return Error::not_found("there is no activity " + std::to_string(id));
}

Error no_campaign(const std::string& slug) {
  return Error::not_found("there is no campaign '" + slug + "'");
}

bool is_host_staff(const Identity& who, const Activity& a) {
  return who.has_role("site_admin") || who.has_scoped_role("org_staff", "organization", a.host.slug);
}

bool is_organizer(const Identity& who, const std::string& campaign_slug) {
  return who.has_role("site_admin") || who.has_scoped_role("campaign_organizer", "campaign", campaign_slug);
}

bool can_see(const Identity* who, const Activity& a) {
  if (a.public_()) return true;
  if (!who) return false;
  if (is_host_staff(*who, a) || is_organizer(*who, a.campaign_slug)) return true;
  return std::any_of(a.co_hosts.begin(), a.co_hosts.end(),
                     [&](const OrgRef& o) { return who->has_scoped_role("org_staff", "organization", o.slug); });
}

}  // namespace

Result<Activity> ActivityService::load(db::Connection& c, std::int64_t id) {
  SR_ASSIGN(auto found, store::find_activity(c, id));
  if (!found) return no_activity(id);
  return std::move(*found);
}

Result<Activity> ActivityService::load_for_host(db::Connection& c, std::int64_t id, const Identity& who) {
  SR_ASSIGN(auto a, load(c, id));
  if (!is_host_staff(who, a)) {
    if (!can_see(&who, a)) return no_activity(id);
    return Error::forbidden("only staff of " + a.host.name + ", the host, can do this");
  }
  return a;
}

Status ActivityService::resolve_references(db::Connection& c, Activity& a, const ActivityInput& in, EpochMs now) {
  std::vector<FieldError> errors;
  if (in.co_hosts) {
    std::vector<OrgRef> resolved;
    for (std::size_t i = 0; i < in.co_hosts->size(); ++i) {
      const auto& slug = (*in.co_hosts)[i];
      SR_ASSIGN(auto org, catalog::store::find_organization(c, slug));
      if (!org) {
        errors.push_back({"co_hosts[" + std::to_string(i) + "]", "there is no organization '" + slug + "'"});
        continue;
      }
      if (org->id == a.host.id) continue;
      const bool seen = std::any_of(resolved.begin(), resolved.end(), [&](const OrgRef& o) { return o.id == org->id; });
      if (!seen) resolved.push_back({org->id, org->slug, org->name, false});
    }
    a.co_hosts = std::move(resolved);
  }
  if (in.facilitators) {
    std::vector<Facilitator> people;
    for (std::size_t i = 0; i < in.facilitators->size(); ++i) {
      const auto& f = (*in.facilitators)[i];
      store::Person p;
      if (!f.person.empty()) {
        SR_ASSIGN(auto found, store::find_person(c, f.person));
        if (!found) {
          errors.push_back({"facilitators[" + std::to_string(i) + "].person", "there is no person '" + f.person + "'"});
          continue;
        }
        p = std::move(*found);
      } else {
        FacilitatorInput clean = f;
        clean.name = json::trim(f.name);
        clean.affiliation = json::trim(f.affiliation);
        clean.email = accounts::normalize_email(f.email);
        SR_ASSIGN(p, store::person_for(c, clean, now));
      }
      const bool seen =
          std::any_of(people.begin(), people.end(), [&](const Facilitator& x) { return x.person_id == p.id; });
      if (seen) continue;
      Facilitator fac;
      fac.person_id = p.id;
      fac.slug = p.slug;
      fac.name = p.name;
      fac.affiliation = p.affiliation;
      fac.bio = p.bio;
      fac.role = f.role;
      people.push_back(std::move(fac));
    }
    a.facilitators = std::move(people);
  }
  if (!errors.empty()) return Error::validation(std::move(errors));
  return {};
}

Status ActivityService::reindex(db::Connection& c, std::int64_t id) {
  SR_ASSIGN(auto a, load(c, id));
  return store::index_for_search(c, id, a.campaign_id, search_text(a));
}

Status ActivityService::save_new(db::Connection& c, Activity& a, std::int64_t created_by, EpochMs now) {
  a.description_html = render_markdown(a.description);
  a.checkin_code = new_checkin_code();
  SR_ASSIGN(a.id, store::insert_activity(c, a, created_by, now));
  SR_TRY(store::replace_children(c, a));
  // A new activity is indexed from what is in hand: it has no confirmed
  // co-hosts yet, so reading it back would give the same text.
  return store::index_for_search(c, a.id, a.campaign_id, search_text(a));
}

namespace {

// The campaign and the host, and the rule that the host is an approved
// partner of the campaign.
struct HostContext {
  catalog::Campaign campaign;
  catalog::Organization host;
};

Result<HostContext> host_context(db::Connection& c, const std::string& organization_slug,
                                 const std::string& campaign_slug) {
  SR_ASSIGN(auto org, catalog::store::find_organization(c, organization_slug));
  if (!org) return Error::not_found("there is no organization '" + organization_slug + "'");
  if (campaign_slug.empty()) return Error::validation("campaign", "is required: the slug of the campaign");
  SR_ASSIGN(auto campaign, catalog::store::find_campaign(c, campaign_slug));
  if (!campaign) return Error::validation("campaign", "there is no campaign '" + campaign_slug + "'");
  SR_ASSIGN(auto app, catalog::store::find_application(c, campaign->id, org->id));
  if (!app || app->status != catalog::PartnerStatus::Approved) {
    return Error::validation("campaign", org->name +
                                             " is not an approved partner of this campaign yet; apply, and "
                                             "wait for an organizer's approval");
  }
  return HostContext{std::move(*campaign), std::move(*org)};
}

Activity draft_for(const HostContext& ctx) {
  Activity a;
  a.campaign_id = ctx.campaign.id;
  a.campaign_slug = ctx.campaign.slug;
  a.host = {ctx.host.id, ctx.host.slug, ctx.host.name, true};
  a.status = ActivityStatus::Draft;
  return a;
}

}  // namespace

Result<Activity> ActivityService::create(const std::string& organization_slug, const std::string& campaign_slug,
                                         const ActivityInput& input, const Identity& who) {
  auto created = db_.transaction<std::int64_t>([&](db::Connection& c) -> Result<std::int64_t> {
    const auto now = now_ms();
    SR_ASSIGN(auto ctx, host_context(c, organization_slug, campaign_slug));
    Activity a = draft_for(ctx);
    auto errors = apply_input(a, input, ctx.campaign);
    if (!errors.empty()) return Error::validation(std::move(errors));
    SR_TRY(resolve_references(c, a, input, now));
    SR_TRY(save_new(c, a, who.user_id, now));
    return a.id;
  });
  if (!created.ok()) return std::move(created).error();
  log::info("activity created", {{"activity", *created}, {"organization", organization_slug}});
  return get(*created, &who);
}

Result<std::vector<Activity>> ActivityService::import_csv(const std::string& organization_slug,
                                                          const std::string& campaign_slug, std::string_view text,
                                                          const Identity& who) {
  if (text.find('\0') != std::string_view::npos) return Error::validation("file", "must be UTF-8 text, not binary");
  SR_ASSIGN(auto records, csv::parse(text, csv_format::kMaxRows + 1));
  if (records.empty()) return Error::validation("file", "is empty: the first line must name the columns");
  SR_ASSIGN(auto header, csv_format::read_header(records.front()));
  if (records.size() < 2) return Error::validation("file", "has a header but no activities");
  auto ids = db_.transaction<std::vector<std::int64_t>>([&](db::Connection& c) -> Result<std::vector<std::int64_t>> {
    const auto now = now_ms();
    SR_ASSIGN(auto ctx, host_context(c, organization_slug, campaign_slug));
    std::vector<FieldError> errors;
    std::vector<std::int64_t> created;
    for (std::size_t i = 1; i < records.size(); ++i) {
      const std::string at = "line " + std::to_string(records[i].line) + ": ";
      std::vector<FieldError> row_errors;
      const auto input = csv_format::read_row(header, records[i], row_errors);
      Activity a = draft_for(ctx);
      for (auto& e : apply_input(a, input, ctx.campaign)) row_errors.push_back({at + e.field, e.message});
      if (row_errors.empty()) {
        auto resolved = resolve_references(c, a, input, now);
        if (!resolved.ok()) {
          for (auto& e : resolved.error().fields) row_errors.push_back({at + e.field, e.message});
        }
      }
      if (!row_errors.empty()) {
        errors.insert(errors.end(), row_errors.begin(), row_errors.end());
        continue;
      }
      if (errors.empty()) {
        SR_TRY(save_new(c, a, who.user_id, now));
        created.push_back(a.id);
      }
    }
    // Nothing is imported unless every row is right: the transaction rolls
    // back with the full list of problems.
    if (!errors.empty()) {
      if (errors.size() > 200) errors.resize(200);
      return Error::validation(std::move(errors));
    }
    return created;
  });
  if (!ids.ok()) return std::move(ids).error();
  log::info("activities imported",
            {{"organization", organization_slug}, {"count", static_cast<std::int64_t>(ids->size())}});
  SR_ASSIGN(auto lease, db_.acquire());
  return store::load_activities(*lease, *ids);
}

Result<Activity> ActivityService::update(std::int64_t id, const ActivityInput& input, const Identity& who) {
  SR_TRY(db_.transaction([&](db::Connection& c) -> Status {
    const auto now = now_ms();
    SR_TRY(store::lock_activity(c, id));
    SR_ASSIGN(auto a, load_for_host(c, id, who));
    if (a.status == ActivityStatus::Cancelled) return Error::conflict("a cancelled activity cannot change");
    SR_ASSIGN(auto campaign, catalog::store::find_campaign(c, a.campaign_slug));
    if (!campaign) return no_campaign(a.campaign_slug);
    const auto old_capacity = a.capacity;
    auto errors = apply_input(a, input, *campaign);
    if (a.capacity && *a.capacity < a.registered) {
      errors.push_back({"capacity", "cannot be below the " + std::to_string(a.registered) +
                                        " people already registered; raise it, or leave it unlimited"});
    }
    if (!errors.empty()) return Error::validation(std::move(errors));
    SR_TRY(resolve_references(c, a, input, now));
    a.description_html = render_markdown(a.description);
    SR_TRY(store::update_activity(c, a, now));
    SR_TRY(store::replace_children(c, a));
    SR_TRY(reindex(c, id));
    if (a.capacity != old_capacity) {
      SR_ASSIGN(auto counts, store::count_registrations(c, id));
      SR_TRY(store::promote(c, id, seats_to_fill(a.capacity, counts.registered, counts.waitlisted)));
    }
    return {};
  }));
  return get(id, &who);
}

Result<Activity> ActivityService::get(std::int64_t id, const Identity* who) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto a, load(*lease, id));
  if (!can_see(who, a)) return no_activity(id);
  return a;
}

Result<Activity> ActivityService::submit(std::int64_t id, const Identity& who) {
  SR_TRY(db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto a, load_for_host(c, id, who));
    if (a.status != ActivityStatus::Draft && a.status != ActivityStatus::Declined) {
      return Error::conflict("only a draft or a declined activity can be submitted; this one is " +
                             std::string(to_string(a.status)));
    }
    return store::set_status(c, id, ActivityStatus::Submitted, "", now_ms());
  }));
  log::info("activity submitted", {{"activity", id}});
  return get(id, &who);
}

Result<Activity> ActivityService::decide(const std::string& campaign_slug, std::int64_t id, bool approve,
                                         const std::string& reason, const Identity& who) {
  if (!approve && json::trim(reason).empty()) {
    return Error::validation("reason", "is required to decline, so the host knows what to change");
  }
  SR_TRY(db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto a, load(c, id));
    if (a.campaign_slug != campaign_slug) return no_activity(id);
    if (a.status != ActivityStatus::Submitted) {
      return Error::conflict("only a submitted activity can be decided; this one is " +
                             std::string(to_string(a.status)));
    }
    return store::set_status(c, id, approve ? ActivityStatus::Approved : ActivityStatus::Declined,
                             approve ? "" : json::trim(reason), now_ms());
  }));
  log::info("activity decision",
            {{"activity", id}, {"decision", approve ? "approved" : "declined"}, {"by", who.user_id}});
  return get(id, &who);
}

Result<Activity> ActivityService::cancel(std::int64_t id, const std::string& reason, const Identity& who) {
  SR_TRY(db_.transaction([&](db::Connection& c) -> Status {
    const auto now = now_ms();
    SR_ASSIGN(auto a, load_for_host(c, id, who));
    if (a.status == ActivityStatus::Cancelled) return Error::conflict("this activity is already cancelled");
    SR_TRY(store::set_status(c, id, ActivityStatus::Cancelled, json::trim(reason), now));
    if (a.status == ActivityStatus::Approved) {
      SR_ASSIGN(auto emails, store::registrant_emails(c, id));
      const std::string body = "\"" + a.title + "\", hosted by " + a.host.name + ", has been cancelled." +
                               (reason.empty() ? std::string() : "\n\nReason: " + json::trim(reason)) +
                               "\n\nThe activity: " + config_.public_url + "/activities/" + std::to_string(id) + "\n";
      for (const auto& e : emails) {
        SR_TRY(accounts::store::insert_mail(c, e, "Cancelled: " + a.title, body, now));
      }
    }
    return {};
  }));
  log::info("activity cancelled", {{"activity", id}});
  return get(id, &who);
}

Result<Activity> ActivityService::confirm_cohost(std::int64_t id, const std::string& organization_slug,
                                                 const Identity& who) {
  SR_TRY(db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto a, load(c, id));
    const auto it = std::find_if(a.co_hosts.begin(), a.co_hosts.end(),
                                 [&](const OrgRef& o) { return o.slug == organization_slug; });
    if (it == a.co_hosts.end()) {
      return Error::not_found("'" + organization_slug + "' is not invited to co-host activity " + std::to_string(id));
    }
    SR_TRY(store::confirm_cohost(c, id, it->id, now_ms()));
    return reindex(c, id);
  }));
  log::info("co-host confirmed", {{"activity", id}, {"organization", organization_slug}});
  return get(id, &who);
}

Result<Activity> ActivityService::add_resource(std::int64_t id, Resource r, const Identity& who) {
  std::vector<FieldError> errors;
  r.title = json::trim(r.title);
  if (r.kind != "recording" && r.kind != "resource") errors.push_back({"kind", "must be recording or resource"});
  if (r.title.empty() || json::utf8_length(r.title) > 200)
    errors.push_back({"title", "is required, at most 200 characters"});
  if (!catalog::is_web_url(r.url)) errors.push_back({"url", "must be a web address starting with https://"});
  if (!errors.empty()) return Error::validation(std::move(errors));
  SR_TRY(db_.transaction([&](db::Connection& c) -> Status {
    r.created_at = now_ms();
    SR_ASSIGN(auto a, load_for_host(c, id, who));
    if (r.created_at < a.first_start) {
      return Error::validation("kind", "recordings and resources are added once the activity has begun");
    }
    if (a.resources.size() >= 50) return Error::validation("kind", "an activity can have at most 50 resources");
    return store::add_resource(c, id, r);
  }));
  return get(id, &who);
}

Result<Page<Activity>> ActivityService::search(const std::string& campaign_slug, const Search& s, std::int64_t offset,
                                               int limit) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto campaign, catalog::store::find_campaign(*lease, campaign_slug));
  if (!campaign) return no_campaign(campaign_slug);
  store::SearchQuery q;
  q.campaign_id = campaign->id;
  q.statuses = s.statuses.empty() ? std::vector<std::string>{"approved"} : s.statuses;
  q.text = s.text;
  q.from = s.from;
  q.to = s.to;
  if (!s.from_date.empty()) q.from = local_to_utc({*parse_date(s.from_date), 0}, campaign->time_zone);
  if (!s.to_date.empty()) q.to = local_to_utc({*parse_date(s.to_date) + 1, 0}, campaign->time_zone);
  q.formats = s.formats;
  q.themes = s.themes;
  q.roles = s.roles;
  q.grades = s.grades;
  q.subjects = s.subjects;
  q.organizations = s.organizations;
  q.languages = s.languages;
  q.offers_hours = s.offers_hours;
  q.sort = s.sort;
  q.offset = offset;
  q.limit = limit + 1;
  SR_ASSIGN(auto ids, store::search(*lease, q));
  Page<Activity> page;
  if (static_cast<int>(ids.size()) > limit) {
    ids.resize(static_cast<std::size_t>(limit));
    page.next_after = offset + limit;
  }
  SR_ASSIGN(page.items, store::load_activities(*lease, ids));
  return page;
}

Result<std::vector<Activity>> ActivityService::export_all(const std::string& campaign_slug) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto campaign, catalog::store::find_campaign(*lease, campaign_slug));
  if (!campaign) return no_campaign(campaign_slug);
  SR_ASSIGN(auto ids, store::campaign_activity_ids(*lease, campaign->id, {"approved"}));
  return store::load_activities(*lease, ids);
}

Result<std::vector<Activity>> ActivityService::organization_activities(const std::string& organization_slug,
                                                                       const std::string& campaign_slug) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto org, catalog::store::find_organization(*lease, organization_slug));
  if (!org) return Error::not_found("there is no organization '" + organization_slug + "'");
  std::int64_t campaign_id = 0;
  if (!campaign_slug.empty()) {
    SR_ASSIGN(auto campaign, catalog::store::find_campaign(*lease, campaign_slug));
    if (!campaign) return no_campaign(campaign_slug);
    campaign_id = campaign->id;
  }
  SR_ASSIGN(auto ids, store::organization_activity_ids(*lease, org->id, campaign_id, false));
  return store::load_activities(*lease, ids);
}

Result<PersonPage> ActivityService::person(const std::string& slug) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto p, store::find_person(*lease, slug));
  if (!p) return Error::not_found("there is no person '" + slug + "'");
  SR_ASSIGN(auto ids, store::person_activity_ids(*lease, p->id));
  SR_ASSIGN(auto list, store::load_activities(*lease, ids));
  return PersonPage{std::move(*p), std::move(list)};
}

namespace {

struct PairTally {
  OrgRef a, b;
  std::set<std::int64_t> activities;
};

// Every pair of organizations on each co-hosted activity.
std::map<OrgPair, PairTally> pairs_of(const std::vector<store::ActivityOrgs>& list, std::vector<ActivityPair>* flat) {
  std::map<OrgPair, PairTally> out;
  for (const auto& act : list) {
    const auto& orgs = act.organizations;
    for (std::size_t i = 0; i < orgs.size(); ++i) {
      for (std::size_t j = i + 1; j < orgs.size(); ++j) {
        if (orgs[i].id == orgs[j].id) continue;
        const auto key = org_pair(orgs[i].id, orgs[j].id);
        auto& t = out[key];
        t.a = orgs[i].id < orgs[j].id ? orgs[i] : orgs[j];
        t.b = orgs[i].id < orgs[j].id ? orgs[j] : orgs[i];
        t.activities.insert(act.activity_id);
        if (flat) flat->push_back({act.activity_id, key});
      }
    }
  }
  return out;
}

// Pairs that co-hosted an approved activity in a campaign that started
// before this one.
Result<std::set<OrgPair>> earlier_pairs(db::Connection& c, const catalog::Campaign& campaign) {
  SR_ASSIGN(auto before, store::cohosting(c, 0, campaign.starts_on));
  std::set<OrgPair> out;
  for (const auto& [key, tally] : pairs_of(before, nullptr)) out.insert(key);
  return out;
}

}  // namespace

Result<std::vector<Partnership>> ActivityService::partnerships(const std::string& campaign_slug) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto campaign, catalog::store::find_campaign(*lease, campaign_slug));
  if (!campaign) return no_campaign(campaign_slug);
  SR_ASSIGN(auto here, store::cohosting(*lease, campaign->id, ""));
  SR_ASSIGN(auto earlier, earlier_pairs(*lease, *campaign));
  std::vector<Partnership> out;
  for (const auto& [key, tally] : pairs_of(here, nullptr)) {
    out.push_back({tally.a, tally.b, static_cast<int>(tally.activities.size()), !earlier.contains(key)});
  }
  std::sort(out.begin(), out.end(), [](const Partnership& x, const Partnership& y) {
    return x.activities != y.activities ? x.activities > y.activities : x.a.name < y.a.name;
  });
  return out;
}

Result<Impact> ActivityService::impact(const std::string& campaign_slug) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto campaign, catalog::store::find_campaign(*lease, campaign_slug));
  if (!campaign) return no_campaign(campaign_slug);
  SR_ASSIGN(auto counts, store::impact_counts(*lease, campaign->id));
  SR_ASSIGN(auto here, store::cohosting(*lease, campaign->id, ""));
  SR_ASSIGN(auto earlier, earlier_pairs(*lease, *campaign));
  std::vector<ActivityPair> flat;
  pairs_of(here, &flat);
  Impact m;
  m.organizations = counts.organizations;
  m.activities = counts.activities;
  m.facilitators = counts.facilitators;
  m.co_hosted_activities = counts.co_hosted;
  m.new_partnership_activities = new_partnership_activities(flat, earlier);
  m.new_partnership_share =
      m.activities ? static_cast<double>(m.new_partnership_activities) / static_cast<double>(m.activities) : 0.0;
  m.registrations = counts.registrations;
  m.attendees = counts.attendees;
  m.pd_hours = static_cast<double>(counts.attended_minutes) / 60.0;
  return m;
}

Result<RegistrationResult> ActivityService::register_for(std::int64_t id, const Identity& who) {
  auto result = db_.transaction<RegistrationResult>([&](db::Connection& c) -> Result<RegistrationResult> {
    SR_TRY(store::lock_activity(c, id));
    // Taken under the lock and after the last registration, so the waiting
    // list's order is the order people registered in.
    SR_ASSIGN(auto last, store::last_registered_at(c, id));
    const auto now = std::max(now_ms(), last + 1);
    SR_ASSIGN(auto a, load(c, id));
    if (!can_see(&who, a)) return no_activity(id);
    if (auto closed = registration_closed(a, now)) return Error::validation("activity", *closed);
    SR_ASSIGN(auto existing, store::registration_status(c, id, who.user_id));
    if (existing) {
      return Error::conflict(*existing == "registered" ? "you are already registered for this activity"
                                                       : "you are already on the waiting list for this activity");
    }
    SR_ASSIGN(auto counts, store::count_registrations(c, id));
    RegistrationResult r;
    r.seat = seat_for(a.capacity, counts.registered);
    SR_TRY(store::insert_registration(c, id, who.user_id, r.seat, now));
    if (r.seat == Seat::Waitlisted) {
      SR_ASSIGN(r.waitlist_position, store::waitlist_position(c, id, who.user_id));
    }
    return r;
  });
  if (result.ok()) {
    log::info("registration", {{"activity", id},
                               {"user", who.user_id},
                               {"seat", result->seat == Seat::Registered ? "registered" : "waitlisted"}});
  }
  return result;
}

Status ActivityService::cancel_registration(std::int64_t id, const Identity& who) {
  return db_.transaction([&](db::Connection& c) -> Status {
    const auto now = now_ms();
    SR_TRY(store::lock_activity(c, id));
    SR_ASSIGN(auto a, load(c, id));
    SR_ASSIGN(auto removed, store::delete_registration(c, id, who.user_id));
    if (!removed) return Error::not_found("you are not registered for activity " + std::to_string(id));
    SR_ASSIGN(auto counts, store::count_registrations(c, id));
    SR_ASSIGN(auto promoted, store::promote(c, id, seats_to_fill(a.capacity, counts.registered, counts.waitlisted)));
    for (auto user : promoted) {
      SR_ASSIGN(auto u, accounts::store::find_user(c, user));
      if (!u) continue;
      SR_TRY(accounts::store::insert_mail(c, u->user.email, "You have a seat: " + a.title,
                                          "A seat opened up in \"" + a.title + "\" and it is yours.\n\n" +
                                              config_.public_url + "/activities/" + std::to_string(id) + "\n",
                                          now));
      log::info("promoted from the waiting list", {{"activity", id}, {"user", user}});
    }
    return {};
  });
}

Result<std::vector<ScheduleItem>> ActivityService::schedule(const Identity& who) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto entries, store::schedule(*lease, who.user_id));
  std::vector<std::int64_t> ids;
  ids.reserve(entries.size());
  for (const auto& e : entries) ids.push_back(e.activity_id);
  SR_ASSIGN(auto list, store::load_activities(*lease, ids));
  std::vector<ScheduleItem> out;
  for (std::size_t i = 0; i < entries.size() && i < list.size(); ++i) {
    ScheduleItem item{list[i], entries[i].status, 0, entries[i].registered_at};
    if (item.status == "waitlisted") {
      SR_ASSIGN(item.waitlist_position, store::waitlist_position(*lease, entries[i].activity_id, who.user_id));
    }
    out.push_back(std::move(item));
  }
  return out;
}

Result<CheckInInfo> ActivityService::check_in_code(std::int64_t id, const Identity& who) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto a, load_for_host(*lease, id, who));
  if (a.self_paced()) return Error::validation("activity", "a self-paced activity has no sessions to check in to");
  return CheckInInfo{a.checkin_code, config_.public_url + "/check-in/" + std::to_string(id) + "?code=" + a.checkin_code,
                     a.sessions};
}

Result<store::Attendance> ActivityService::check_in(std::int64_t id, const std::string& code, const Identity& who) {
  return db_.transaction<store::Attendance>([&](db::Connection& c) -> Result<store::Attendance> {
    const auto now = now_ms();
    SR_ASSIGN(auto a, load(c, id));
    if (!can_see(&who, a)) return no_activity(id);
    if (a.status != ActivityStatus::Approved) {
      return Error::validation(
          "activity", "check-in is only for approved activities; this one is " + std::string(to_string(a.status)));
    }
    if (a.self_paced()) return Error::validation("activity", "a self-paced activity has no sessions to check in to");
    std::string given = json::trim(code);
    std::transform(given.begin(), given.end(), given.begin(), [](unsigned char ch) { return std::toupper(ch); });
    if (given.size() != a.checkin_code.size() || !crypto::constant_time_equal(given, a.checkin_code)) {
      return Error::validation("code", "is not this activity's check-in code; ask the host to show it again");
    }
    const auto session = check_in_session(a.sessions, now);
    if (!session) {
      std::string when;
      for (const auto& s : a.sessions) {
        if (s.starts_at - kCheckInEarly > now) {
          when = " The next session starts at " + format_rfc3339(s.starts_at) + ".";
          break;
        }
      }
      return Error::validation("code", "check-in is open from 15 minutes before a session starts until it ends." +
                                           (when.empty() ? std::string(" This activity has no more sessions.") : when));
    }
    store::Attendance rec;
    rec.activity_id = id;
    rec.activity_title = a.title;
    rec.user_id = who.user_id;
    rec.email = who.email;
    rec.source = "check_in";
    rec.minutes = static_cast<int>((session->ends_at - session->starts_at) / 60000);
    rec.session_starts_at = session->starts_at;
    rec.recorded_at = now;
    SR_ASSIGN(auto added, store::insert_attendance(c, rec, who.user_id));
    if (!added) return Error::conflict("you have already checked in to this session");
    log::info("check-in", {{"activity", id}, {"user", who.user_id}});
    return rec;
  });
}

Result<int> ActivityService::upload_attendance(std::int64_t id, std::string_view text, const Identity& who) {
  if (text.find('\0') != std::string_view::npos) return Error::validation("file", "must be UTF-8 text, not binary");
  SR_ASSIGN(auto records, csv::parse(text, 20001));
  struct Row {
    std::string email;
    int minutes = 0;
  };
  std::vector<Row> rows;
  std::vector<FieldError> errors;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    const std::string at = "line " + std::to_string(r.line);
    if (i == 0 && !r.fields.empty() && accounts::normalize_email(r.fields[0]) == "email") continue;  // header
    if (r.fields.size() != 2) {
      errors.push_back({at, "must have two fields: email,minutes"});
      continue;
    }
    Row row{accounts::normalize_email(r.fields[0]), 0};
    if (accounts::check_email(row.email))
      errors.push_back({at + ": email", "'" + json::trim(r.fields[0]) + "' is not an email address"});
    const auto m = json::trim(r.fields[1]);
    bool number =
        !m.empty() && m.size() <= 5 && std::all_of(m.begin(), m.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (number) row.minutes = std::stoi(m);
    if (!number || row.minutes > 24 * 60 * 60) {
      errors.push_back({at + ": minutes", "must be a whole number of minutes from 0 to 86400"});
    }
    if (!seen.insert(row.email).second) errors.push_back({at + ": email", row.email + " appears twice"});
    rows.push_back(std::move(row));
  }
  if (records.size() > 20000) errors.push_back({"file", "can have at most 20,000 lines"});
  if (!errors.empty()) {
    if (errors.size() > 200) errors.resize(200);
    return Error::validation(std::move(errors));
  }
  if (rows.empty()) return Error::validation("file", "has no attendance lines: email,minutes");
  auto n = db_.transaction<int>([&](db::Connection& c) -> Result<int> {
    const auto now = now_ms();
    SR_ASSIGN(auto a, load_for_host(c, id, who));
    if (a.status != ActivityStatus::Approved) {
      return Error::validation("activity", "attendance is recorded for approved activities; this one is " +
                                               std::string(to_string(a.status)));
    }
    SR_TRY(store::delete_attendance_list(c, id));
    for (const auto& row : rows) {
      store::Attendance rec;
      rec.activity_id = id;
      SR_ASSIGN(rec.user_id, store::user_id_for_email(c, row.email));
      rec.email = row.email;
      rec.source = "attendance_list";
      rec.minutes = row.minutes;
      rec.session_starts_at = a.first_start;
      rec.recorded_at = now;
      SR_TRY(store::insert_attendance(c, rec, who.user_id));
    }
    return static_cast<int>(rows.size());
  });
  if (n.ok()) log::info("attendance list", {{"activity", id}, {"rows", static_cast<std::int64_t>(*n)}});
  return n;
}

Result<std::vector<store::Attendance>> ActivityService::attendance(std::int64_t id, const Identity& who) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_TRY(load_for_host(*lease, id, who));
  return store::activity_attendance(*lease, id);
}

Result<std::vector<store::Attendance>> ActivityService::my_attendance(const Identity& who) {
  SR_ASSIGN(auto lease, db_.acquire());
  return store::user_attendance(*lease, who.user_id, who.email);
}

Result<std::string> ActivityService::new_calendar_token(const Identity& who) {
  const auto token = crypto::random_token(32);
  SR_ASSIGN(auto lease, db_.acquire());
  SR_TRY(store::set_calendar_token(*lease, who.user_id, crypto::sha256_hex(token), now_ms()));
  return token;
}

Status ActivityService::revoke_calendar_token(const Identity& who) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto removed, store::delete_calendar_token(*lease, who.user_id));
  if (!removed) return Error::not_found("you have no calendar feed link");
  return {};
}

Result<std::string> ActivityService::campaign_calendar(const std::string& campaign_slug) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto campaign, catalog::store::find_campaign(*lease, campaign_slug));
  if (!campaign) return no_campaign(campaign_slug);
  SR_ASSIGN(auto fingerprint, store::campaign_fingerprint(*lease, campaign->id));
  fingerprint += "|" + std::to_string(campaign->updated_at);
  {
    std::lock_guard lock(feed_mu_);
    auto it = feed_cache_.find(campaign->id);
    if (it != feed_cache_.end() && it->second.first == fingerprint) return *it->second.second;
  }
  SR_ASSIGN(auto ids, store::campaign_activity_ids(*lease, campaign->id, {"approved", "cancelled"}));
  SR_ASSIGN(auto list, store::load_activities(*lease, ids));
  auto body =
      std::make_shared<const std::string>(render_feed(list, {campaign->name, config_.public_url, now_ms(), 15}));
  std::lock_guard lock(feed_mu_);
  feed_cache_[campaign->id] = {fingerprint, body};
  return *body;
}

Result<std::string> ActivityService::organization_calendar(const std::string& organization_slug) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto org, catalog::store::find_organization(*lease, organization_slug));
  if (!org) return Error::not_found("there is no organization '" + organization_slug + "'");
  SR_ASSIGN(auto ids, store::organization_activity_ids(*lease, org->id, 0, true));
  SR_ASSIGN(auto list, store::load_activities(*lease, ids));
  return render_feed(list, {org->name, config_.public_url, now_ms(), 15});
}

Result<std::string> ActivityService::activity_calendar(std::int64_t id) {
  SR_ASSIGN(auto a, get(id, nullptr));
  return render_feed({a}, {a.title, config_.public_url, now_ms(), 15});
}

Result<std::string> ActivityService::personal_calendar(const std::string& token) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto user, store::calendar_token_user(*lease, crypto::sha256_hex(token)));
  if (!user) return Error::not_found("this calendar link does not exist or was revoked");
  SR_ASSIGN(auto entries, store::schedule(*lease, *user));
  std::vector<std::int64_t> ids;
  for (const auto& e : entries) {
    if (e.status == "registered") ids.push_back(e.activity_id);
  }
  SR_ASSIGN(auto list, store::load_activities(*lease, ids));
  return render_feed(list, {"My Staffroom schedule", config_.public_url, now_ms(), 15});
}

}  // namespace staffroom::activities
