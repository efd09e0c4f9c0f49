// All SQL of the accounts module. Functions take a Connection so the service
// decides what runs in one transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/model.hpp"
#include "db/database.hpp"

namespace staffroom::accounts::store {

struct UserRecord {
  User user;
  std::string password_hash;
};

struct SessionRecord {
  std::int64_t session_id = 0;
  std::int64_t user_id = 0;
  std::string email;
  std::string display_name;
  EpochMs created_at = 0;
  std::string csrf_token;
  std::vector<Grant> grants;
};

struct TokenRecord {
  std::int64_t token_id = 0;
  std::int64_t user_id = 0;
  std::string email;
  std::string display_name;
  EpochMs created_at = 0;
  std::optional<EpochMs> last_used_at;
  std::vector<Grant> grants;
};

Result<std::int64_t> insert_user(db::Connection& c, const std::string& email, const std::string& display_name,
                                 const std::string& password_hash, EpochMs now);
Result<std::optional<UserRecord>> find_user_by_email(db::Connection& c, const std::string& email);
Result<std::optional<UserRecord>> find_user(db::Connection& c, std::int64_t id);
Result<std::vector<User>> list_users(db::Connection& c, std::int64_t after_id, int limit);
Status update_display_name(db::Connection& c, std::int64_t user_id, const std::string& name, EpochMs now);
Status update_password_hash(db::Connection& c, std::int64_t user_id, const std::string& hash, EpochMs now);

Result<std::vector<Grant>> grants_of(db::Connection& c, std::int64_t user_id);
Result<Grant> insert_grant(db::Connection& c, std::int64_t user_id, const std::string& role,
                           const std::string& scope_type, const std::string& scope_id, EpochMs now);
Result<std::int64_t> delete_grant(db::Connection& c, std::int64_t user_id, std::int64_t grant_id);
// The accounts holding a scoped role ("org_staff" of "organization" "iste"),
// with the grant id.
struct ScopedMember {
  std::int64_t user_id = 0;
  std::string email, display_name;
  std::int64_t grant_id = 0;
};
Result<std::vector<ScopedMember>> members(db::Connection& c, const std::string& role, const std::string& scope_type,
                                          const std::string& scope_id);

Status insert_session(db::Connection& c, std::int64_t user_id, const std::string& token_hash,
                      const std::string& csrf_token, EpochMs now, EpochMs expires_at);
Result<std::optional<SessionRecord>> find_session(db::Connection& c, const std::string& token_hash, EpochMs now);
Status delete_session(db::Connection& c, std::int64_t session_id);
// Sessions past their expiry are useless; dropping a user's at each sign-in
// keeps the table from growing without a background job.
Status delete_expired_sessions_of(db::Connection& c, std::int64_t user_id, EpochMs now);
Status delete_sessions_of(db::Connection& c, std::int64_t user_id, std::int64_t except_session_id);

Result<ApiToken> insert_token(db::Connection& c, std::int64_t user_id, const std::string& name,
                              const std::string& token_hash, EpochMs now);
Result<std::optional<TokenRecord>> find_token(db::Connection& c, const std::string& token_hash);
Status touch_token(db::Connection& c, std::int64_t token_id, EpochMs now);
Result<std::vector<ApiToken>> list_tokens(db::Connection& c, std::int64_t user_id, std::int64_t after_id, int limit);
Result<std::int64_t> revoke_token(db::Connection& c, std::int64_t user_id, std::int64_t token_id, EpochMs now);
Status revoke_tokens_of(db::Connection& c, std::int64_t user_id, EpochMs now);
Result<std::int64_t> count_active_tokens(db::Connection& c, std::int64_t user_id);

Status insert_reset(db::Connection& c, std::int64_t user_id, const std::string& token_hash, EpochMs now,
                    EpochMs expires_at);
// Marks every unused reset link of the user as used.
Status expire_resets_of(db::Connection& c, std::int64_t user_id, EpochMs now);
// Marks an unused, unexpired reset as used and returns its user, atomically.
Result<std::optional<std::int64_t>> consume_reset(db::Connection& c, const std::string& token_hash, EpochMs now);

// Email verification and verified identities.
Status insert_email_verification(db::Connection& c, std::int64_t user_id, const std::string& email,
                                 const std::string& token_hash, EpochMs now, EpochMs expires_at);
struct ConsumedVerification {
  std::int64_t user_id = 0;
  std::string email;
};
Result<std::optional<ConsumedVerification>> consume_email_verification(db::Connection& c, const std::string& token_hash,
                                                                       EpochMs now);
// Sets the verification time if the account's email is still this one.
Result<bool> set_email_verified(db::Connection& c, std::int64_t user_id, const std::string& email, EpochMs now);
Result<std::optional<EpochMs>> email_verified_at(db::Connection& c, std::int64_t user_id);
Status add_verified_identity(db::Connection& c, const std::string& identity, std::int64_t user_id, EpochMs now);
Result<std::optional<std::int64_t>> user_for_identity(db::Connection& c, const std::string& identity);

Result<std::int64_t> insert_mail(db::Connection& c, const std::string& recipient, const std::string& subject,
                                 const std::string& body, EpochMs now);
// Newest first; before_id 0 means from the newest.
Result<std::vector<MailMessage>> list_mail(db::Connection& c, std::int64_t before_id, int limit);

}  // namespace staffroom::accounts::store
