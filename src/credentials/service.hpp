// Achievements and the Open Badges credentials issued for them: defining
// achievements, awarding them (by hand, from a CSV file, or by their rule
// when the evidence arrives), revoking, the signed status lists, and
// verifying with our own revocation state.
#pragma once

#include <boost/json/object.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/identity.hpp"
#include "credentials/issue.hpp"
#include "credentials/keys.hpp"
#include "credentials/model.hpp"
#include "credentials/store.hpp"
#include "credentials/verify.hpp"
#include "db/database.hpp"
#include "districts/service.hpp"

namespace staffroom::credentials {

struct AchievementView {
  Achievement achievement;
  bool can_manage = false;
  std::optional<std::int64_t> awarded;  // for those who manage it
};

struct AwardRequest {
  std::string email, narrative, evidence_url;
};

struct BulkAward {
  bool dry_run = true;
  std::vector<store::IssuedCredential> credentials;  // empty in a dry run
  std::int64_t would_award = 0;
};

struct CredentialView {
  store::IssuedCredential record;
  boost::json::object document;
  Verification verification;
  bool can_revoke = false;
};

class CredentialService {
 public:
  CredentialService(db::Database& db, districts::DistrictService& districts, IssuerKeys keys, std::string public_url);
  ~CredentialService();
  CredentialService(const CredentialService&) = delete;
  CredentialService& operator=(const CredentialService&) = delete;

  Result<AchievementView> create_achievement(const Identity& who, const boost::json::object& body);
  Result<AchievementView> update_achievement(const std::string& slug, const Identity& who,
                                             const boost::json::object& body);
  Result<AchievementView> achievement(const std::string& slug, const Identity* who);
  Result<std::vector<AchievementView>> achievements(const store::AchievementFilter& filter, const Identity* who);

  Result<store::IssuedCredential> award(const std::string& slug, const Identity& who, const AwardRequest& request);
  // For the command line (`staffroom award`): no signed-in person.
  Result<store::IssuedCredential> award_as_system(const std::string& slug, const AwardRequest& request);
  Result<BulkAward> award_file(const std::string& slug, const Identity& who, std::string_view csv_text, bool dry_run);
  Result<std::vector<store::IssuedCredential>> awards(const std::string& slug, const Identity& who);
  Result<CredentialView> credential(const std::string& id, const Identity* who);
  Result<store::IssuedCredential> revoke(const std::string& id, const Identity& who, const std::string& reason);
  Result<std::vector<store::IssuedCredential>> backpack(const Identity& who);
  // The signed BitstringStatusListCredential of a list.
  Result<boost::json::object> status_list(std::int64_t list_id);
  // A VC-JWT (RS256) of an issued credential.
  Result<std::string> credential_jwt(const std::string& id);

  // The educator's Comprehensive Learner Record (CLR 2.0) for [from, to):
  // every badge issued to them in the period (as issued) and, for each
  // credit claim a district approved in it, an AchievementCredential signed
  // now, bundled in one signed ClrCredential. Nothing is stored: it is a
  // snapshot, verifiable on its own.
  Result<boost::json::object> learner_record(const Identity& who, EpochMs from, EpochMs to);

  Verification verify(const boost::json::value& document);

  // Awards every achievement whose rule the new evidence meets: participation
  // records and approved claims since the last sweep. Returns how many.
  Result<int> sweep();
  void start_awarder(std::chrono::milliseconds every);

  const IssuerKeys& keys() const { return keys_; }
  std::string credential_url(const std::string& id) const { return public_url_ + "/credentials/" + id; }
  std::string status_list_url(std::int64_t list) const;
  std::string achievement_url(const std::string& slug) const { return public_url_ + "/achievements/" + slug; }
  std::string linkedin_url(const store::IssuedCredential& k, const std::string& issuer_name) const;

 private:
  Result<bool> can_manage(db::Connection& c, const Identity& who, const Achievement& a);
  Result<AchievementView> view(db::Connection& c, Achievement a, const Identity* who);
  Result<store::IssuedCredential> issue(db::Connection& c, const Achievement& a, const AwardRequest& request,
                                        store::Source source, std::optional<std::int64_t> by,
                                        std::vector<EvidenceItem> evidence);
  Result<int> sweep_attendance(db::Connection& c, const std::vector<Achievement>& rules);
  Result<int> sweep_approvals(db::Connection& c, const std::vector<Achievement>& rules);
  Result<bool> award_by_rule(db::Connection& c, const Achievement& a, std::int64_t user_id,
                             std::vector<EvidenceItem> evidence);
  std::optional<RevocationState> status_of(const boost::json::object& entry);

  db::Database& db_;
  districts::DistrictService& districts_;
  IssuerKeys keys_;
  // Our own did:web document, built once (it reads every key's RSA part).
  ld::MethodResolver resolver_;
  std::string public_url_;
  std::mutex cache_mutex_;
  struct CachedList {
    std::pair<std::int64_t, std::int64_t> revision;
    EpochMs signed_at = 0;
    boost::json::object document;
  };
  std::map<std::int64_t, CachedList> lists_;
  std::mutex sweep_mutex_;
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread awarder_;
};

}  // namespace staffroom::credentials
