#include "accounts/store.hpp"

namespace staffroom::accounts::store {

using db::Sql;
using db::Value;

namespace {
constexpr Sql kInsertUser{
    "INSERT INTO users (email, display_name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) "
    "RETURNING id"};
constexpr Sql kUserByEmail{"SELECT id, email, display_name, created_at, password_hash FROM users WHERE email = $1"};
constexpr Sql kUserById{"SELECT id, email, display_name, created_at, password_hash FROM users WHERE id = $1"};
constexpr Sql kListUsers{"SELECT id, email, display_name, created_at FROM users WHERE id > $1 ORDER BY id LIMIT $2"};
constexpr Sql kUpdateName{"UPDATE users SET display_name = $2, updated_at = $3 WHERE id = $1"};
constexpr Sql kUpdatePassword{"UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1"};

constexpr Sql kGrantsOf{"SELECT id, role, scope_type, scope_id FROM role_grants WHERE user_id = $1 ORDER BY id"};
constexpr Sql kInsertGrant{
    "INSERT INTO role_grants (user_id, role, scope_type, scope_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING "
    "id"};
constexpr Sql kDeleteGrant{"DELETE FROM role_grants WHERE user_id = $1 AND id = $2"};

constexpr Sql kInsertSession{
    "INSERT INTO sessions (user_id, token_hash, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"};
constexpr Sql kFindSession{
    "SELECT s.id, s.user_id, u.email, u.display_name, u.created_at, s.csrf_token, g.id, g.role, g.scope_type, "
    "g.scope_id FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN role_grants g ON g.user_id = u.id "
    "WHERE s.token_hash = $1 AND s.expires_at > $2 ORDER BY g.id"};
constexpr Sql kDeleteSession{"DELETE FROM sessions WHERE id = $1"};
constexpr Sql kDeleteExpiredSessionsOf{"DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2"};
constexpr Sql kDeleteSessionsOf{"DELETE FROM sessions WHERE user_id = $1 AND id <> $2"};

constexpr Sql kInsertToken{
    "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id"};
constexpr Sql kFindToken{
    "SELECT t.id, t.user_id, u.email, u.display_name, u.created_at, t.last_used_at, g.id, g.role, g.scope_type, "
    "g.scope_id FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN role_grants g ON g.user_id = u.id "
    "WHERE t.token_hash = $1 AND t.revoked_at IS NULL ORDER BY g.id"};
constexpr Sql kTouchToken{"UPDATE api_tokens SET last_used_at = $2 WHERE id = $1"};
constexpr Sql kListTokens{
    "SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL AND id > $2 "
    "ORDER BY id LIMIT $3"};
constexpr Sql kRevokeToken{
    "UPDATE api_tokens SET revoked_at = $3 WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL"};

constexpr Sql kRevokeTokensOf{"UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL"};
constexpr Sql kCountTokens{"SELECT COUNT(*) FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL"};
constexpr Sql kExpireResets{"UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL"};
constexpr Sql kInsertReset{
    "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)"};
constexpr Sql kConsumeReset{
    "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 "
    "RETURNING user_id"};

constexpr Sql kInsertVerification{
    "INSERT INTO email_verifications (user_id, email, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"};
constexpr Sql kConsumeVerification{
    "UPDATE email_verifications SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 "
    "RETURNING user_id, email"};
constexpr Sql kSetVerified{
    "UPDATE users SET email_verified_at = $3 WHERE id = $1 AND email = $2 AND email_verified_at IS NULL"};
constexpr Sql kVerifiedAt{"SELECT email_verified_at FROM users WHERE id = $1"};
constexpr Sql kAddIdentity{
    "INSERT INTO verified_identities (identity, user_id, verified_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (identity) DO NOTHING"};
constexpr Sql kUserForIdentity{"SELECT user_id FROM verified_identities WHERE identity = $1"};

constexpr Sql kInsertMail{
    "INSERT INTO mail_outbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id"};
constexpr Sql kListMail{
    "SELECT id, recipient, subject, body, created_at FROM mail_outbox WHERE ($1 = 0 OR id < $1) ORDER BY id DESC "
    "LIMIT $2",
    "SELECT id, recipient, subject, body, created_at FROM mail_outbox WHERE ($1::bigint = 0 OR id < $1::bigint) "
    "ORDER BY id DESC LIMIT $2"};

// Credentials are looked up together with the account's grants in one round
// trip (one row per grant); the grant columns start at `first`.
std::vector<Grant> grants_from(const db::Rows& rows, std::size_t first) {
  std::vector<Grant> out;
  for (const auto& r : rows.rows) {
    if (r.is_null(first)) continue;
    out.push_back({r.int64(first), r.text(first + 1), r.text(first + 2), r.text(first + 3)});
  }
  return out;
}

UserRecord user_from(const db::Row& r) {
  UserRecord u;
  u.user.id = r.int64(0);
  u.user.email = r.text(1);
  u.user.display_name = r.text(2);
  u.user.created_at = r.int64(3);
  if (r.size() > 4) u.password_hash = r.text(4);
  return u;
}
}  // namespace

Result<std::int64_t> insert_user(db::Connection& c, const std::string& email, const std::string& display_name,
                                 const std::string& password_hash, EpochMs now) {
  const Value p[] = {email, display_name, password_hash, now};
  auto rows = c.query(kInsertUser, p);
  if (!rows.ok()) {
    if (db::is_unique_violation(rows.error()))
      return Error::conflict("an account with this email already exists; sign in instead");
    return std::move(rows).error();
  }
  return rows->front().int64(0);
}

Result<std::optional<UserRecord>> find_user_by_email(db::Connection& c, const std::string& email) {
  const Value p[] = {email};
  SR_ASSIGN(auto rows, c.query(kUserByEmail, p));
  if (rows.empty()) return std::optional<UserRecord>();
  return std::optional(user_from(rows.front()));
}

Result<std::optional<UserRecord>> find_user(db::Connection& c, std::int64_t id) {
  const Value p[] = {id};
  SR_ASSIGN(auto rows, c.query(kUserById, p));
  if (rows.empty()) return std::optional<UserRecord>();
  return std::optional(user_from(rows.front()));
}

Result<std::vector<User>> list_users(db::Connection& c, std::int64_t after_id, int limit) {
  const Value p[] = {after_id, static_cast<std::int64_t>(limit)};
  SR_ASSIGN(auto rows, c.query(kListUsers, p));
  std::vector<User> out;
  for (const auto& r : rows.rows) out.push_back(user_from(r).user);
  return out;
}

Status update_display_name(db::Connection& c, std::int64_t user_id, const std::string& name, EpochMs now) {
  const Value p[] = {user_id, name, now};
  SR_TRY(c.query(kUpdateName, p));
  return {};
}

Status update_password_hash(db::Connection& c, std::int64_t user_id, const std::string& hash, EpochMs now) {
  const Value p[] = {user_id, hash, now};
  SR_TRY(c.query(kUpdatePassword, p));
  return {};
}

Result<std::vector<Grant>> grants_of(db::Connection& c, std::int64_t user_id) {
  const Value p[] = {user_id};
  SR_ASSIGN(auto rows, c.query(kGrantsOf, p));
  std::vector<Grant> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back({r.int64(0), r.text(1), r.text(2), r.text(3)});
  return out;
}

Result<Grant> insert_grant(db::Connection& c, std::int64_t user_id, const std::string& role,
                           const std::string& scope_type, const std::string& scope_id, EpochMs now) {
  const Value p[] = {user_id, role, scope_type, scope_id, now};
  auto rows = c.query(kInsertGrant, p);
  if (!rows.ok()) {
    if (db::is_unique_violation(rows.error())) return Error::conflict("this account already has that role");
    return std::move(rows).error();
  }
  return Grant{rows->front().int64(0), role, scope_type, scope_id};
}

Result<std::int64_t> delete_grant(db::Connection& c, std::int64_t user_id, std::int64_t grant_id) {
  const Value p[] = {user_id, grant_id};
  SR_ASSIGN(auto rows, c.query(kDeleteGrant, p));
  return rows.affected;
}

Status insert_session(db::Connection& c, std::int64_t user_id, const std::string& token_hash,
                      const std::string& csrf_token, EpochMs now, EpochMs expires_at) {
  const Value p[] = {user_id, token_hash, csrf_token, now, expires_at};
  SR_TRY(c.query(kInsertSession, p));
  return {};
}

Result<std::optional<SessionRecord>> find_session(db::Connection& c, const std::string& token_hash, EpochMs now) {
  const Value p[] = {token_hash, now};
  SR_ASSIGN(auto rows, c.query(kFindSession, p));
  if (rows.empty()) return std::optional<SessionRecord>();
  const auto& r = rows.front();
  SessionRecord rec{r.int64(0), r.int64(1), r.text(2), r.text(3), r.int64(4), r.text(5), grants_from(rows, 6)};
  return std::optional(std::move(rec));
}

Status delete_session(db::Connection& c, std::int64_t session_id) {
  const Value p[] = {session_id};
  SR_TRY(c.query(kDeleteSession, p));
  return {};
}

Status delete_expired_sessions_of(db::Connection& c, std::int64_t user_id, EpochMs now) {
  const Value p[] = {user_id, now};
  SR_TRY(c.query(kDeleteExpiredSessionsOf, p));
  return {};
}

Status delete_sessions_of(db::Connection& c, std::int64_t user_id, std::int64_t except_session_id) {
  const Value p[] = {user_id, except_session_id};
  SR_TRY(c.query(kDeleteSessionsOf, p));
  return {};
}

Result<ApiToken> insert_token(db::Connection& c, std::int64_t user_id, const std::string& name,
                              const std::string& token_hash, EpochMs now) {
  const Value p[] = {user_id, name, token_hash, now};
  SR_ASSIGN(auto rows, c.query(kInsertToken, p));
  return ApiToken{rows.front().int64(0), name, now, std::nullopt};
}

Result<std::optional<TokenRecord>> find_token(db::Connection& c, const std::string& token_hash) {
  const Value p[] = {token_hash};
  SR_ASSIGN(auto rows, c.query(kFindToken, p));
  if (rows.empty()) return std::optional<TokenRecord>();
  const auto& r = rows.front();
  TokenRecord rec{r.int64(0), r.int64(1), r.text(2), r.text(3), r.int64(4), r.opt_int64(5), grants_from(rows, 6)};
  return std::optional(std::move(rec));
}

Status touch_token(db::Connection& c, std::int64_t token_id, EpochMs now) {
  const Value p[] = {token_id, now};
  SR_TRY(c.query(kTouchToken, p));
  return {};
}

Result<std::vector<ApiToken>> list_tokens(db::Connection& c, std::int64_t user_id, std::int64_t after_id, int limit) {
  const Value p[] = {user_id, after_id, static_cast<std::int64_t>(limit)};
  SR_ASSIGN(auto rows, c.query(kListTokens, p));
  std::vector<ApiToken> out;
  for (const auto& r : rows.rows) out.push_back({r.int64(0), r.text(1), r.int64(2), r.opt_int64(3)});
  return out;
}

Result<std::int64_t> revoke_token(db::Connection& c, std::int64_t user_id, std::int64_t token_id, EpochMs now) {
  const Value p[] = {user_id, token_id, now};
  SR_ASSIGN(auto rows, c.query(kRevokeToken, p));
  return rows.affected;
}

Status revoke_tokens_of(db::Connection& c, std::int64_t user_id, EpochMs now) {
  const Value p[] = {user_id, now};
  SR_TRY(c.query(kRevokeTokensOf, p));
  return {};
}

Result<std::int64_t> count_active_tokens(db::Connection& c, std::int64_t user_id) {
  const Value p[] = {user_id};
  SR_ASSIGN(auto rows, c.query(kCountTokens, p));
  return rows.front().int64(0);
}

Status expire_resets_of(db::Connection& c, std::int64_t user_id, EpochMs now) {
  const Value p[] = {user_id, now};
  SR_TRY(c.query(kExpireResets, p));
  return {};
}

Status insert_reset(db::Connection& c, std::int64_t user_id, const std::string& token_hash, EpochMs now,
                    EpochMs expires_at) {
  const Value p[] = {user_id, token_hash, now, expires_at};
  SR_TRY(c.query(kInsertReset, p));
  return {};
}

Result<std::optional<std::int64_t>> consume_reset(db::Connection& c, const std::string& token_hash, EpochMs now) {
  const Value p[] = {token_hash, now};
  SR_ASSIGN(auto rows, c.query(kConsumeReset, p));
  if (rows.empty()) return std::optional<std::int64_t>();
  return std::optional(rows.front().int64(0));
}

Status insert_email_verification(db::Connection& c, std::int64_t user_id, const std::string& email,
                                 const std::string& token_hash, EpochMs now, EpochMs expires_at) {
  const Value p[] = {user_id, email, token_hash, now, expires_at};
  SR_TRY(c.query(kInsertVerification, p));
  return {};
}

Result<std::optional<ConsumedVerification>> consume_email_verification(db::Connection& c, const std::string& token_hash,
                                                                       EpochMs now) {
  const Value p[] = {token_hash, now};
  SR_ASSIGN(auto rows, c.query(kConsumeVerification, p));
  if (rows.empty()) return std::optional<ConsumedVerification>();
  return std::optional(ConsumedVerification{rows.front().int64(0), rows.front().text(1)});
}

Result<bool> set_email_verified(db::Connection& c, std::int64_t user_id, const std::string& email, EpochMs now) {
  const Value p[] = {user_id, email, now};
  SR_ASSIGN(auto rows, c.query(kSetVerified, p));
  return rows.affected > 0;
}

Result<std::optional<EpochMs>> email_verified_at(db::Connection& c, std::int64_t user_id) {
  const Value p[] = {user_id};
  SR_ASSIGN(auto rows, c.query(kVerifiedAt, p));
  if (rows.empty()) return std::optional<EpochMs>();
  return rows.front().opt_int64(0);
}

Status add_verified_identity(db::Connection& c, const std::string& identity, std::int64_t user_id, EpochMs now) {
  const Value p[] = {identity, user_id, now};
  SR_TRY(c.query(kAddIdentity, p));
  return {};
}

Result<std::optional<std::int64_t>> user_for_identity(db::Connection& c, const std::string& identity) {
  const Value p[] = {identity};
  SR_ASSIGN(auto rows, c.query(kUserForIdentity, p));
  if (rows.empty()) return std::optional<std::int64_t>();
  return std::optional(rows.front().int64(0));
}

Result<std::int64_t> insert_mail(db::Connection& c, const std::string& recipient, const std::string& subject,
                                 const std::string& body, EpochMs now) {
  const Value p[] = {recipient, subject, body, now};
  SR_ASSIGN(auto rows, c.query(kInsertMail, p));
  return rows.front().int64(0);
}

Result<std::vector<MailMessage>> list_mail(db::Connection& c, std::int64_t before_id, int limit) {
  const Value p[] = {before_id, static_cast<std::int64_t>(limit)};
  SR_ASSIGN(auto rows, c.query(kListMail, p));
  std::vector<MailMessage> out;
  for (const auto& r : rows.rows) out.push_back({r.int64(0), r.text(1), r.text(2), r.text(3), r.int64(4)});
  return out;
}

Result<std::vector<ScopedMember>> members(db::Connection& c, const std::string& role, const std::string& scope_type,
                                          const std::string& scope_id) {
  static constexpr Sql kMembers{
      "SELECT u.id, u.email, u.display_name, g.id FROM role_grants g JOIN users u ON u.id = g.user_id "
      "WHERE g.role = $1 AND g.scope_type = $2 AND g.scope_id = $3 ORDER BY u.email LIMIT 1000"};
  const Value p[] = {role, scope_type, scope_id};
  SR_ASSIGN(auto rows, c.query(kMembers, p));
  std::vector<ScopedMember> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back({r.int64(0), r.text(1), r.text(2), r.int64(3)});
  return out;
}

}  // namespace staffroom::accounts::store
