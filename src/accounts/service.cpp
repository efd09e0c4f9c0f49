#include "accounts/service.hpp"

#include "accounts/store.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"

namespace staffroom::accounts {

namespace {
std::int64_t ms(std::chrono::milliseconds d) {
  return d.count();
}

Error wrong_credentials() {
  return Error::unauthenticated("the email or password is not right; check both and try again");
}
}  // namespace

AccountsService::AccountsService(db::Database& db, AccountsConfig config)
    : db_(db),
      config_(std::move(config)),
      failures_by_email_(config_.max_failed_sign_ins, config_.failed_sign_in_window),
      failures_by_address_(config_.max_failed_sign_ins * 4, config_.failed_sign_in_window),
      password_change_failures_(config_.max_failed_sign_ins, config_.failed_sign_in_window),
      resets_by_email_(config_.resets_per_hour / 3600.0, config_.resets_per_hour),
      resets_by_address_(config_.resets_per_hour * 4 / 3600.0, config_.resets_per_hour * 4) {
  auto h = crypto::hash_password(crypto::random_token(16));
  if (h.ok()) dummy_hash_ = h.value();
}

Result<User> AccountsService::load_user(db::Connection& c, std::int64_t user_id) {
  SR_ASSIGN(auto rec, store::find_user(c, user_id));
  if (!rec) return Error::not_found("there is no account with id " + std::to_string(user_id));
  User u = rec->user;
  SR_ASSIGN(u.grants, store::grants_of(c, user_id));
  return u;
}

Result<SignedIn> AccountsService::open_session(db::Connection& c, User user) {
  SignedIn s;
  s.session_token = crypto::random_token();
  s.csrf_token = crypto::random_token(24);
  const auto now = now_ms();
  SR_TRY(store::delete_expired_sessions_of(c, user.id, now));
  SR_TRY(store::insert_session(c, user.id, crypto::sha256_hex(s.session_token), s.csrf_token, now,
                               now + ms(config_.session_ttl)));
  s.user = std::move(user);
  return s;
}

Result<SignedIn> AccountsService::sign_up(const std::string& email_in, const std::string& password,
                                          const std::string& display_name) {
  const std::string email = normalize_email(email_in);
  std::vector<FieldError> errors;
  if (auto m = check_email(email)) errors.push_back({"email", *m});
  if (auto m = check_password(password)) errors.push_back({"password", *m});
  if (auto m = check_display_name(display_name)) errors.push_back({"display_name", *m});
  if (!errors.empty()) return Error::validation(std::move(errors));
  // Hash outside the transaction: it is the slow part and needs no lock.
  SR_ASSIGN(auto hash, crypto::hash_password(password));
  return db_.transaction<SignedIn>([&](db::Connection& c) -> Result<SignedIn> {
    const auto now = now_ms();
    SR_ASSIGN(auto id, store::insert_user(c, email, display_name, hash, now));
    SR_TRY(store::insert_grant(c, id, "educator", "", "", now));
    SR_ASSIGN(auto user, load_user(c, id));
    log::info("account created", {{"user_id", id}});
    SR_TRY(queue_verification(c, id, email, display_name, now));
    return open_session(c, std::move(user));
  });
}

Result<SignedIn> AccountsService::sign_in(const std::string& email_in, const std::string& password,
                                          const std::string& client_address) {
  const std::string email = normalize_email(email_in);
  if (email.empty() || password.empty()) {
    std::vector<FieldError> errors;
    if (email.empty()) errors.push_back({"email", "is required"});
    if (password.empty()) errors.push_back({"password", "is required"});
    return Error::validation(std::move(errors));
  }
  if (auto m = check_email(email)) return Error::validation("email", *m);
  const int wait = std::max(failures_by_email_.blocked_for(email), failures_by_address_.blocked_for(client_address));
  if (wait > 0) {
    return Error::rate_limited(
        "too many failed sign-ins; wait " + std::to_string((wait + 59) / 60) + " minute(s) or reset your password",
        wait);
  }
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto rec, store::find_user_by_email(*lease, email));
  const bool ok = rec ? crypto::verify_password(rec->password_hash, password)
                      : (crypto::verify_password(dummy_hash_, password), false);
  if (!ok) {
    failures_by_email_.record_failure(email);
    failures_by_address_.record_failure(client_address);
    log::info("sign-in failed", {{"known_account", rec.has_value()}});
    return wrong_credentials();
  }
  failures_by_email_.reset(email);
  SR_ASSIGN(auto user, load_user(*lease, rec->user.id));
  return open_session(*lease, std::move(user));
}

Status AccountsService::sign_out(const Identity& who) {
  if (who.session_id == 0) return {};  // bearer tokens have no session to end
  SR_ASSIGN(auto lease, db_.acquire());
  return store::delete_session(*lease, who.session_id);
}

Result<std::optional<Identity>> AccountsService::authenticate_session(const std::string& cookie_value) {
  if (cookie_value.empty() || cookie_value.size() > 200) return std::optional<Identity>();
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto rec, store::find_session(*lease, crypto::sha256_hex(cookie_value), now_ms()));
  if (!rec) return std::optional<Identity>();
  Identity id;
  id.user_id = rec->user_id;
  id.email = rec->email;
  id.display_name = rec->display_name;
  id.created_at = rec->created_at;
  id.via_cookie = true;
  id.csrf_token = rec->csrf_token;
  id.session_id = rec->session_id;
  id.grants = std::move(rec->grants);
  return std::optional(std::move(id));
}

Result<std::optional<Identity>> AccountsService::authenticate_token(const std::string& bearer) {
  if (bearer.empty() || bearer.size() > 200) return std::optional<Identity>();
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto rec, store::find_token(*lease, crypto::sha256_hex(bearer)));
  if (!rec) return std::optional<Identity>();
  const auto now = now_ms();
  // Recording every use would turn each read into a write; a minute's
  // precision is what a person looking at "last used" needs.
  if (!rec->last_used_at || now - *rec->last_used_at > 60'000) SR_TRY(store::touch_token(*lease, rec->token_id, now));
  Identity id;
  id.user_id = rec->user_id;
  id.email = rec->email;
  id.display_name = rec->display_name;
  id.created_at = rec->created_at;
  id.grants = std::move(rec->grants);
  return std::optional(std::move(id));
}

Result<User> AccountsService::update_display_name(const Identity& who, const std::string& display_name) {
  if (auto m = check_display_name(display_name)) return Error::validation("display_name", *m);
  SR_ASSIGN(auto lease, db_.acquire());
  SR_TRY(store::update_display_name(*lease, who.user_id, display_name, now_ms()));
  return load_user(*lease, who.user_id);
}

Status AccountsService::change_password(const Identity& who, const std::string& current_password,
                                        const std::string& new_password) {
  if (auto m = check_password(new_password)) return Error::validation("new_password", *m);
  // A stolen session must not become a way to guess the password.
  const std::string key = "user:" + std::to_string(who.user_id);
  if (int wait = password_change_failures_.blocked_for(key); wait > 0) {
    return Error::rate_limited(
        "too many wrong current passwords; wait " + std::to_string((wait + 59) / 60) + " minute(s)", wait);
  }
  SR_ASSIGN(auto rec, [&]() -> Result<std::optional<store::UserRecord>> {
    SR_ASSIGN(auto lease, db_.acquire());
    return store::find_user(*lease, who.user_id);
  }());
  if (!rec || !crypto::verify_password(rec->password_hash, current_password)) {
    password_change_failures_.record_failure(key);
    return Error::validation("current_password", "is not your current password");
  }
  password_change_failures_.reset(key);
  SR_ASSIGN(auto hash, crypto::hash_password(new_password));
  SR_TRY(db_.transaction([&](db::Connection& c) -> Status {
    const auto now = now_ms();
    SR_TRY(store::update_password_hash(c, who.user_id, hash, now));
    SR_TRY(store::delete_sessions_of(c, who.user_id, who.session_id));
    return store::expire_resets_of(c, who.user_id, now);
  }));
  log::info("password changed", {{"user_id", who.user_id}});
  return {};
}

Result<NewToken> AccountsService::create_token(const Identity& who, const std::string& name) {
  if (name.empty()) return Error::validation("name", "is required; name the script or tool that will use the token");
  if (name.size() > 100) return Error::validation("name", "must be at most 100 characters");
  NewToken t;
  t.secret = "srp_" + crypto::random_token();
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto active, store::count_active_tokens(*lease, who.user_id));
  if (active >= config_.max_api_tokens) {
    return Error::conflict("you already have " + std::to_string(active) +
                           " active API tokens; revoke ones you no longer use first");
  }
  SR_ASSIGN(t.token, store::insert_token(*lease, who.user_id, name, crypto::sha256_hex(t.secret), now_ms()));
  log::info("api token created", {{"user_id", who.user_id}, {"token_id", t.token.id}});
  return t;
}

Result<Page<ApiToken>> AccountsService::list_tokens(const Identity& who, std::int64_t after, int limit) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto items, store::list_tokens(*lease, who.user_id, after, limit + 1));
  return make_page(std::move(items), limit, [](const ApiToken& t) { return t.id; });
}

Status AccountsService::revoke_token(const Identity& who, std::int64_t token_id) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto n, store::revoke_token(*lease, who.user_id, token_id, now_ms()));
  if (n == 0) return Error::not_found("you have no active API token with id " + std::to_string(token_id));
  log::info("api token revoked", {{"user_id", who.user_id}, {"token_id", token_id}});
  return {};
}

std::vector<std::string> identities_of_email(const std::string& email) {
  const std::string mbox = "mailto:" + email;
  return {"mbox:" + mbox, "sha1:" + crypto::sha1_hex(mbox)};
}

Status AccountsService::queue_verification(db::Connection& c, std::int64_t user_id, const std::string& email,
                                           const std::string& display_name, EpochMs now) {
  const std::string token = crypto::random_token();
  SR_TRY(store::insert_email_verification(c, user_id, email, crypto::sha256_hex(token), now,
                                          now + ms(config_.verification_ttl)));
  const std::string link = config_.public_url + "/verify-email?token=" + token;
  const std::string body = "Hello " + display_name + ",\n\nPlease confirm that " + email +
                           " is your address, so the learning that online platforms report for it counts as yours. "
                           "Open this link within seven days:\n\n" +
                           link + "\n\nIf you did not sign up for Staffroom, ignore this message.\n";
  SR_ASSIGN(auto mail_id, store::insert_mail(c, email, "Confirm your email address for Staffroom", body, now));
  log::info("mail queued", {{"mail_id", mail_id}, {"subject", "Confirm your email address for Staffroom"}});
  return {};
}

Status AccountsService::send_email_verification(const Identity& who, const std::string& client_address) {
  if (int wait = std::max(resets_by_email_.take("verify:" + who.email), resets_by_address_.take(client_address));
      wait > 0)
    return Error::rate_limited("a confirmation link was sent recently; check your mail or try again later", wait);
  return db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto verified, store::email_verified_at(c, who.user_id));
    if (verified) return Error::conflict("your email address is already confirmed");
    return queue_verification(c, who.user_id, who.email, who.display_name, now_ms());
  });
}

Result<std::string> AccountsService::confirm_email(const std::string& token) {
  if (token.empty()) return Error::validation("token", "is required");
  return db_.transaction<std::string>([&](db::Connection& c) -> Result<std::string> {
    const auto now = now_ms();
    SR_ASSIGN(auto used, store::consume_email_verification(c, crypto::sha256_hex(token), now));
    if (!used)
      return Error::bad_request(
          "this confirmation link is not valid: it was already used, has expired, or was copied incompletely; "
          "ask for a new one on your account page");
    SR_ASSIGN(bool changed, store::set_email_verified(c, used->user_id, used->email, now));
    (void)changed;  // confirming twice through two links is fine
    std::vector<std::string> people = identities_of_email(used->email);
    for (const auto& identity : people) SR_TRY(store::add_verified_identity(c, identity, used->user_id, now));
    // Evidence names a person by email (mbox) or by the sha1 key.
    people[0] = used->email;
    if (identity_listener_) SR_TRY(identity_listener_(c, used->user_id, people));
    log::info("email verified", {{"user_id", used->user_id}});
    return used->email;
  });
}

Result<std::optional<EpochMs>> AccountsService::email_verified_at(std::int64_t user_id) {
  SR_ASSIGN(auto lease, db_.acquire());
  return store::email_verified_at(*lease, user_id);
}

Status AccountsService::request_password_reset(const std::string& email_in, const std::string& client_address) {
  const std::string email = normalize_email(email_in);
  if (auto m = check_email(email)) return Error::validation("email", *m);
  // Limited whether or not the account exists, so the limit reveals nothing.
  if (int wait = std::max(resets_by_email_.take(email), resets_by_address_.take(client_address)); wait > 0) {
    return Error::rate_limited("a reset link was sent recently; check your mail or try again later", wait);
  }
  return db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto rec, store::find_user_by_email(c, email));
    if (!rec) return {};
    const std::string token = crypto::random_token();
    const auto now = now_ms();
    SR_TRY(store::insert_reset(c, rec->user.id, crypto::sha256_hex(token), now, now + ms(config_.reset_ttl)));
    const std::string link = config_.public_url + "/reset-password?token=" + token;
    const std::string body = "Hello " + rec->user.display_name +
                             ",\n\nSomeone asked to reset the password of your Staffroom account. To choose a new "
                             "password, open this link within the next hour:\n\n" +
                             link + "\n\nIf it was not you, ignore this message; your password stays as it is.\n";
    SR_ASSIGN(auto mail_id, store::insert_mail(c, email, "Reset your Staffroom password", body, now));
    // The link is a secret: the log says a mail is waiting, not what it says.
    log::info("mail queued", {{"mail_id", mail_id}, {"subject", "Reset your Staffroom password"}});
    return {};
  });
}

Status AccountsService::confirm_password_reset(const std::string& token, const std::string& new_password) {
  if (token.empty()) return Error::validation("token", "is required");
  if (auto m = check_password(new_password)) return Error::validation("new_password", *m);
  SR_ASSIGN(auto hash, crypto::hash_password(new_password));
  return db_.transaction([&](db::Connection& c) -> Status {
    const auto now = now_ms();
    SR_ASSIGN(auto user_id, store::consume_reset(c, crypto::sha256_hex(token), now));
    if (!user_id) {
      return Error::bad_request(
          "this reset link is not valid: it was already used, has expired, or was copied "
          "incompletely; ask for a new one");
    }
    // Recovering an account ends everything that may be in other hands:
    // sessions, API tokens and any other reset link.
    SR_TRY(store::update_password_hash(c, *user_id, hash, now));
    SR_TRY(store::delete_sessions_of(c, *user_id, 0));
    SR_TRY(store::revoke_tokens_of(c, *user_id, now));
    SR_TRY(store::expire_resets_of(c, *user_id, now));
    log::info("password reset", {{"user_id", *user_id}});
    return {};
  });
}

Result<Page<User>> AccountsService::list_users(std::int64_t after, int limit) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto users, store::list_users(*lease, after, limit + 1));
  auto page = make_page(std::move(users), limit, [](const User& u) { return u.id; });
  for (auto& u : page.items) {
    SR_ASSIGN(u.grants, store::grants_of(*lease, u.id));
  }
  return page;
}

Result<Grant> AccountsService::grant_role(std::int64_t user_id, const std::string& role, const std::string& scope_type,
                                          const std::string& scope_id) {
  SR_TRY(check_grant(role, scope_type, scope_id));
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto rec, store::find_user(*lease, user_id));
  if (!rec) return Error::not_found("there is no account with id " + std::to_string(user_id));
  SR_ASSIGN(auto grant, store::insert_grant(*lease, user_id, role, scope_type, scope_id, now_ms()));
  log::info("role granted", {{"user_id", user_id}, {"role", role}, {"scope_type", scope_type}, {"scope_id", scope_id}});
  return grant;
}

Status AccountsService::revoke_grant(std::int64_t user_id, std::int64_t grant_id) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto n, store::delete_grant(*lease, user_id, grant_id));
  if (n == 0)
    return Error::not_found("account " + std::to_string(user_id) + " has no role grant " + std::to_string(grant_id));
  log::info("role revoked", {{"user_id", user_id}, {"grant_id", grant_id}});
  return {};
}

Result<Page<MailMessage>> AccountsService::list_mail(std::int64_t before, int limit) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto items, store::list_mail(*lease, before, limit + 1));
  return make_page(std::move(items), limit, [](const MailMessage& m) { return m.id; });
}

Result<AccountsService::AdminCreated> AccountsService::create_with_role(
    const std::string& email_in, const std::string& display_name, const std::optional<std::string>& password,
    const std::string& role, const std::string& scope_type, const std::string& scope_id) {
  const std::string email = normalize_email(email_in);
  if (auto m = check_email(email)) return Error::validation("email", *m);
  SR_TRY(check_grant(role, scope_type, scope_id));
  if (password) {
    if (auto m = check_password(*password)) return Error::validation("password", *m);
  }
  AdminCreated out;
  std::string chosen = password.value_or("");
  if (!password) {
    chosen = crypto::random_token(15);
    out.generated_password = chosen;
  }
  SR_ASSIGN(auto hash, crypto::hash_password(chosen));
  return db_.transaction<AdminCreated>([&](db::Connection& c) -> Result<AdminCreated> {
    const auto now = now_ms();
    SR_ASSIGN(auto existing, store::find_user_by_email(c, email));
    std::int64_t id = 0;
    if (existing) {
      id = existing->user.id;
      out.generated_password.reset();
      if (password) SR_TRY(store::update_password_hash(c, id, hash, now));
    } else {
      SR_ASSIGN(id, store::insert_user(c, email, display_name.empty() ? email.substr(0, email.find('@')) : display_name,
                                       hash, now));
      SR_TRY(store::insert_grant(c, id, "educator", "", "", now));
    }
    SR_ASSIGN(auto grants, store::grants_of(c, id));
    bool has = false;
    for (const auto& g : grants) has = has || (g.role == role && g.scope_type == scope_type && g.scope_id == scope_id);
    if (!has) SR_TRY(store::insert_grant(c, id, role, scope_type, scope_id, now));
    SR_ASSIGN(out.user, load_user(c, id));
    return out;
  });
}

}  // namespace staffroom::accounts
