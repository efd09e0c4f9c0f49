// Account use cases: sign-up and sign-in, sessions and API tokens, password
// changes and resets, role grants, and the mail outbox. Owns the transactions
// and the sign-in rate limits; routes call it and nothing else.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "accounts/model.hpp"
#include "core/identity.hpp"
#include "core/page.hpp"
#include "core/rate_limiter.hpp"
#include "db/database.hpp"

namespace staffroom::accounts {

struct AccountsConfig {
  std::string public_url = "http://127.0.0.1:8080";  // for links in mail
  std::chrono::hours session_ttl{24 * 30};
  std::chrono::minutes reset_ttl{60};
  int max_failed_sign_ins = 5;  // per email and per address, within the window
  std::chrono::minutes failed_sign_in_window{15};
  int max_api_tokens = 100;    // active personal tokens per account
  double resets_per_hour = 3;  // reset mails per email (and 4x per address)
  std::chrono::hours verification_ttl{24 * 7};
};

// The xAPI identifier keys an email stands for: its mbox and its
// mbox_sha1sum form.
std::vector<std::string> identities_of_email(const std::string& email);

// Told, inside the verifying transaction, which people (an email and the
// identifier keys of it) now belong to an account, so evidence recorded about
// them before can be linked.
using IdentityListener =
    std::function<Status(db::Connection&, std::int64_t user_id, const std::vector<std::string>& people)>;

struct SignedIn {
  User user;
  std::string session_token;  // the cookie value; only its hash is stored
  std::string csrf_token;
};

struct NewToken {
  ApiToken token;
  std::string secret;  // shown once
};

class AccountsService {
 public:
  AccountsService(db::Database& db, AccountsConfig config);

  Result<SignedIn> sign_up(const std::string& email, const std::string& password, const std::string& display_name);
  Result<SignedIn> sign_in(const std::string& email, const std::string& password, const std::string& client_address);
  Status sign_out(const Identity& who);

  // Resolve credentials into an identity; nullopt when unknown or expired.
  Result<std::optional<Identity>> authenticate_session(const std::string& cookie_value);
  Result<std::optional<Identity>> authenticate_token(const std::string& bearer_token);

  Result<User> update_display_name(const Identity& who, const std::string& display_name);
  Status change_password(const Identity& who, const std::string& current_password, const std::string& new_password);

  Result<NewToken> create_token(const Identity& who, const std::string& name);
  Result<Page<ApiToken>> list_tokens(const Identity& who, std::int64_t after, int limit);
  Status revoke_token(const Identity& who, std::int64_t token_id);

  // Always succeeds for a well-formed email, so it reveals nothing about
  // which emails have accounts.
  Status request_password_reset(const std::string& email, const std::string& client_address);
  Status confirm_password_reset(const std::string& token, const std::string& new_password);

  // Mails a link that proves the address (also sent at sign-up). Limited
  // like reset mails.
  Status send_email_verification(const Identity& who, const std::string& client_address);
  // Marks the address verified, records its identities and tells the
  // listener. Answers the verified email.
  Result<std::string> confirm_email(const std::string& token);
  Result<std::optional<EpochMs>> email_verified_at(std::int64_t user_id);
  void on_identity_verified(IdentityListener listener) { identity_listener_ = std::move(listener); }

  Result<Page<User>> list_users(std::int64_t after, int limit);
  Result<Grant> grant_role(std::int64_t user_id, const std::string& role, const std::string& scope_type,
                           const std::string& scope_id);
  Status revoke_grant(std::int64_t user_id, std::int64_t grant_id);
  Result<Page<MailMessage>> list_mail(std::int64_t before, int limit);

  // For the command line: creates the account (or finds it) and grants role.
  // A generated password is returned when the account is new.
  struct AdminCreated {
    User user;
    std::optional<std::string> generated_password;
  };
  Result<AdminCreated> create_with_role(const std::string& email, const std::string& display_name,
                                        const std::optional<std::string>& password, const std::string& role,
                                        const std::string& scope_type, const std::string& scope_id);

 private:
  Status queue_verification(db::Connection& c, std::int64_t user_id, const std::string& email,
                            const std::string& display_name, EpochMs now);
  Result<SignedIn> open_session(db::Connection& c, User user);
  Result<User> load_user(db::Connection& c, std::int64_t user_id);

  db::Database& db_;
  AccountsConfig config_;
  FailureWindow failures_by_email_;
  FailureWindow failures_by_address_;
  FailureWindow password_change_failures_;
  TokenBucketLimiter resets_by_email_;
  TokenBucketLimiter resets_by_address_;
  IdentityListener identity_listener_;
  std::string dummy_hash_;  // verified against when the email is unknown, to keep timing even
};

}  // namespace staffroom::accounts
