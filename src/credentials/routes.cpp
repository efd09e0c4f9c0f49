#include "credentials/routes.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "credentials/verify.hpp"
#include "ld/contexts.hpp"

namespace staffroom::credentials {

namespace json = boost::json;
using http::Access;
using http::Context;
using http::HandlerResult;
using http::Response;

void add_routes(http::Router& router) {
  router.add("POST", "/api/v1/verify", Access::open(),
             {"verifyCredential",
              "Check any Open Badges 3.0 credential: proof, issuer key, dates, status, shape",
              "credentials",
              true,
              {200, 400}},
             [](Context& ctx) -> HandlerResult {
               // Numbers read exactly: a credential signed elsewhere must say
               // here what it said there.
               auto doc = staffroom::json::parse_exact(ctx.request.body);
               if (!doc.ok()) return Error::bad_request(doc.error().detail + "; paste the credential as it was issued");
               static const ld::DocumentLoader loader = ld::bundled_contexts();
               VerifyInput in;
               in.loader = loader;
               in.now = now_ms();
               // An answer, not an error, whatever the credential holds: the
               // checks say what is wrong with it.
               return Response::json(200, to_json(verify_credential(*doc, in)));
             });
}

}  // namespace staffroom::credentials
