// SPDX-License-Identifier: Apache-2.0
// Commands around the platform server: serve, admin create-operator, admin verify-audit,
// verify (offline credential check), api openapi.
#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "hoshi/api/platform.h"
#include "hoshi/api/static_site.h"
#include "hoshi/core/file.h"
#include "hoshi/cred/issuer_key.h"
#include "hoshi/cred/vc.h"
#include "hoshi/defense/telemetry_store.h"
#include "hoshi/http/server.h"
#include "hoshi/org/audit.h"

#include "commands.h"

namespace hoshi::cli {
namespace {

struct PlatformOptions {
  std::string listen = "127.0.0.1:8080";
  std::string public_url;
  bool secure_cookies = false;
  std::string web_dir = "web/dist";
  std::string issuer_name;
  std::string org_number;
  std::string org_name;
  bool demo = false;
  int threads = 4;
  std::string email;
  std::string name;
  bool password_stdin = false;
  std::string file;
  std::string issuer_key;
  std::string revocations;
  std::string now;
  // Collective-defense telemetry (issue #6).
  std::string nats_url;
  std::size_t telemetry_workers = 1;
  std::string indicators_dir;
  std::size_t min_orgs = 3;
  int window_days = 7;
};

Result<std::pair<std::string, std::uint16_t>> ParseListen(std::string_view listen) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos) {
    return MakeError(ErrorCode::kInvalidArgument, CliMessages(), "err.bad_listen", listen);
  }
  const std::string port_text(listen.substr(colon + 1));
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port < 0 || port > 65535) {
    return MakeError(ErrorCode::kInvalidArgument, CliMessages(), "err.bad_listen", listen);
  }
  return std::make_pair(std::string(listen.substr(0, colon)), static_cast<std::uint16_t>(port));
}

Result<std::unique_ptr<api::Platform>> OpenPlatform(const Context& ctx) {
  api::PlatformOptions options;
  options.db_url = ctx.db_url;
  options.data_dir = ctx.data_dir;
  return api::Platform::Create(options);
}

int Serve(const Context& ctx, const PlatformOptions& o) {
  auto listen = ParseListen(o.listen);
  if (!listen.ok()) {
    return Report(ctx, listen.error());
  }
  std::error_code ec;
  std::filesystem::create_directories(ctx.data_dir, ec);
  api::PlatformOptions options;
  options.db_url = ctx.db_url;
  options.data_dir = ctx.data_dir;
  options.db_connections = static_cast<std::size_t>(std::max(1, o.threads));
  options.public_base_url = o.public_url.empty() ? "http://" + o.listen : o.public_url;
  options.secure_cookies = o.secure_cookies;
  if (!o.issuer_name.empty()) {
    options.issuer_name = o.issuer_name;
  }
  options.nats_url = o.nats_url;
  options.telemetry_workers = o.telemetry_workers;
  options.indicators_dir = o.indicators_dir;
  options.correlation.min_organizations = o.min_orgs;
  options.correlation.window_us = std::int64_t{o.window_days} * 24 * 3600 * 1'000'000;
  if (const Status valid = defense::ValidateCorrelationConfig(options.correlation); !valid.ok()) {
    return Report(ctx, valid.error());
  }
  auto platform = api::Platform::Create(options);
  if (!platform.ok()) {
    return Report(ctx, platform.error());
  }
  api::Platform& p = **platform;
  // Diagnostics go to stderr, like the access log; stdout carries only what the command prints.
  spdlog::set_default_logger(spdlog::stderr_color_mt("hoshitori"));
  if (const Status started = p.StartTelemetryWorkers(); !started.ok()) {
    return Report(ctx, started.error());
  }
  if (o.demo) {
    auto logins = p.SeedDemo();
    if (!logins.ok()) {
      return Report(ctx, logins.error());
    }
    ctx.out << Msg(ctx, "out.demo_logins") << "\n";
    for (const auto& l : *logins) {
      ctx.out << "  " << l.role << "  " << l.email << " / " << l.password << "  (" << l.organization
              << ")\n";
    }
  }
  http::ServerOptions so;
  so.address = listen->first;
  so.port = listen->second;
  so.threads = std::max(1, o.threads);
  so.upload_dir = p.upload_dir().string();
  so.body_policy = [&p](const http::Request& head) { return p.PolicyFor(head); };
  so.handle_signals = true;
  const api::StaticSite site(o.web_dir);
  if (site.available()) {
    ctx.out << Fmt(ctx, "out.web_ui", o.web_dir) << "\n";
  }
  auto server = http::Server::Start(so, [&p, &site](http::Request& req) -> http::Response {
    if (auto page = site.Serve(req)) {
      return std::move(*page);
    }
    if (req.path == "/healthz") {
      return http::Response{200, "application/json; charset=utf-8", {}, R"({"status":"ok"})"};
    }
    if (req.path == "/readyz") {
      const Status ready = p.Ready();
      if (!ready.ok()) {
        return http::ErrorResponse(ready.error(), Lang::kEn, req.request_id);
      }
      return http::Response{200, "application/json; charset=utf-8", {}, R"({"status":"ready"})"};
    }
    return p.Handle(req);
  });
  if (!server.ok()) {
    return Report(ctx, server.error());
  }
  if (o.public_url.empty()) {
    p.SetPublicBaseUrl("http://" + listen->first + ":" + std::to_string((*server)->port()));
  }
  ctx.out << Fmt(ctx, "out.listening",
                 "http://" + listen->first + ":" + std::to_string((*server)->port()))
          << "\n"
          << Fmt(ctx, "out.issuer", p.IssuerDid()) << "\n";
  ctx.out.flush();
  // Expiry by the clock and advisories imported beside the server: hourly until it stops.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::thread sweeper([&] {
    std::unique_lock lock(mu);
    while (!cv.wait_for(lock, std::chrono::hours(1), [&] { return stopping; })) {
      p.ExpireDue().IgnoreError();                  // retried next hour
      p.ReloadAdvisories().status().IgnoreError();  // picks up `sbom import-advisories`
      p.ReloadIndicators().status().IgnoreError();  // picks up new indicator files
    }
  });
  (*server)->Wait();
  {
    const std::lock_guard lock(mu);
    stopping = true;
  }
  cv.notify_all();
  sweeper.join();
  ctx.out << Msg(ctx, "out.stopped") << "\n";
  return kExitOk;
}

int CreateOperator(const Context& ctx, const PlatformOptions& o) {
  std::string password;
  if (o.password_stdin) {
    std::getline(std::cin, password);
  } else {
    const char* env = std::getenv("HOSHI_OPERATOR_PASSWORD");  // NOLINT(concurrency-mt-unsafe)
    password = env == nullptr ? "" : env;
  }
  if (password.empty()) {
    return Report(ctx, MakeError(ErrorCode::kInvalidArgument, CliMessages(), "err.no_password"));
  }
  auto platform = OpenPlatform(ctx);
  if (!platform.ok()) {
    return Report(ctx, platform.error());
  }
  auto login = (*platform)->CreateOperator(o.email, o.name.empty() ? o.email : o.name, password,
                                           o.org_number, o.org_name);
  if (!login.ok()) {
    return Report(ctx, login.error());
  }
  ctx.out << Fmt(ctx, "out.operator_created", login->email, login->organization) << "\n";
  return kExitOk;
}

int VerifyAudit(const Context& ctx) {
  auto conn = OpenDatabase(ctx);
  if (!conn.ok()) {
    return Report(ctx, conn.error());
  }
  org::AuditLog log(**conn, ctx.clock);
  auto problems = log.Verify();
  if (!problems.ok()) {
    return Report(ctx, problems.error());
  }
  if (problems->empty()) {
    ctx.out << Msg(ctx, "out.audit_intact") << "\n";
    return kExitOk;
  }
  for (const auto& p : *problems) {
    ctx.out << p.organization_id << " #" << p.seq << " [" << p.kind << "] "
            << p.message.In(ctx.lang) << "\n";
  }
  ctx.out << Fmt(ctx, "out.audit_problems", problems->size()) << "\n";
  return kExitNotMet;
}

int VerifyCredential(const Context& ctx, const PlatformOptions& o) {
  auto text = ReadFile(o.file, 1U << 20);
  if (!text.ok()) {
    return Report(ctx, text.error());
  }
  Result<Bytes> key = Error(ErrorCode::kInvalidArgument, LocalizedText{});
  if (!o.issuer_key.empty()) {
    std::string key_text = o.issuer_key;
    if (std::filesystem::exists(o.issuer_key)) {
      auto file = ReadFile(o.issuer_key, 4096);
      if (!file.ok()) {
        return Report(ctx, file.error());
      }
      key_text = *file;
      while (!key_text.empty() && (key_text.back() == '\n' || key_text.back() == '\r')) {
        key_text.pop_back();
      }
    }
    key = cred::LoadPublicKey(key_text);
  } else {
    // The public key the server wrote next to its (private) issuer.key.
    auto did = ReadFile(std::filesystem::path(ctx.data_dir) / "keys" / "issuer.did", 4096);
    if (did.ok()) {
      std::string did_text = *did;
      while (!did_text.empty() && (did_text.back() == '\n' || did_text.back() == '\r')) {
        did_text.pop_back();
      }
      key = cred::LoadPublicKey(did_text);
    }
  }
  if (!key.ok()) {
    return Report(ctx, MakeError(ErrorCode::kInvalidArgument, CliMessages(), "err.no_issuer_key"));
  }
  std::optional<cred::RevocationList> revocations;
  if (!o.revocations.empty()) {
    auto list_text = ReadFile(o.revocations, 16U << 20);
    if (!list_text.ok()) {
      return Report(ctx, list_text.error());
    }
    auto list = cred::VerifyRevocationList(*list_text, *key);
    if (!list.ok()) {
      return Report(ctx, list.error());
    }
    revocations = std::move(list).value();
  }
  const std::string now = o.now.empty() ? FormatTimestamp(ctx.clock.Now()) : o.now;
  const cred::Verification v =
      cred::VerifyStarCredential(*text, *key, now, revocations ? &*revocations : nullptr);
  ctx.out << cred::VerdictLabel(v.verdict).In(ctx.lang);
  if (!v.reason.ja.empty()) {
    ctx.out << ": " << v.reason.In(ctx.lang);
  }
  ctx.out << "\n";
  if (v.subject) {
    ctx.out << Fmt(ctx, "out.credential_subject", v.subject->name, v.subject->corporate_number,
                   v.subject->level, v.subject->issued_on.Format(ctx.lang),
                   v.subject->expires_on.Format(ctx.lang))
            << "\n";
  }
  return v.verdict == cred::Verdict::kValid ? kExitOk : kExitNotMet;
}

}  // namespace

void RegisterPlatformCommands(CLI::App& app, CLI::App* admin, Context& ctx,
                              std::function<int()>& action) {
  auto o = std::make_shared<PlatformOptions>();
  auto* serve = app.add_subcommand("serve", Msg(ctx, "cmd.serve"));
  serve->add_option("--listen", o->listen, Msg(ctx, "opt.listen"));
  serve->add_flag("--demo", o->demo, Msg(ctx, "opt.demo"));
  serve->add_option("--public-url", o->public_url, Msg(ctx, "opt.public_url"));
  serve->add_flag("--secure-cookies", o->secure_cookies, Msg(ctx, "opt.secure_cookies"));
  serve->add_option("--web-dir", o->web_dir, Msg(ctx, "opt.web_dir"));
  serve->add_option("--issuer-name", o->issuer_name, Msg(ctx, "opt.issuer_name"));
  serve->add_option("--threads", o->threads, Msg(ctx, "opt.threads"))->check(CLI::Range(1, 64));
  serve->add_option("--nats", o->nats_url, Msg(ctx, "opt.serve_nats"));
  serve->add_option("--telemetry-workers", o->telemetry_workers, Msg(ctx, "opt.telemetry_workers"))
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}));
  serve->add_option("--indicators", o->indicators_dir, Msg(ctx, "opt.serve_indicators"));
  serve->add_option("--min-orgs", o->min_orgs, Msg(ctx, "opt.min_orgs"))
      ->check(CLI::Range(std::size_t{2}, std::size_t{1000}));
  serve->add_option("--window-days", o->window_days, Msg(ctx, "opt.window_days"))
      ->check(CLI::Range(1, 3650));
  serve->callback([&action, &ctx, o] { action = [&ctx, o] { return Serve(ctx, *o); }; });

  auto* create = admin->add_subcommand("create-operator", Msg(ctx, "cmd.admin.create_operator"));
  create->add_option("--email", o->email, Msg(ctx, "opt.email"))->required();
  create->add_option("--name", o->name, Msg(ctx, "opt.name"));
  create->add_flag("--password-stdin", o->password_stdin, Msg(ctx, "opt.password_stdin"));
  create->add_option("--org-number", o->org_number, Msg(ctx, "opt.org_number"));
  create->add_option("--org-name", o->org_name, Msg(ctx, "opt.org_name"));
  create->callback([&action, &ctx, o] { action = [&ctx, o] { return CreateOperator(ctx, *o); }; });

  auto* audit = admin->add_subcommand("verify-audit", Msg(ctx, "cmd.admin.verify_audit"));
  audit->callback([&action, &ctx] { action = [&ctx] { return VerifyAudit(ctx); }; });

  auto* verify = app.add_subcommand("verify", Msg(ctx, "cmd.verify"));
  verify->add_option("credential", o->file, Msg(ctx, "opt.credential"))->required();
  verify->add_option("--issuer-key", o->issuer_key, Msg(ctx, "opt.issuer_key"));
  verify->add_option("--revocations", o->revocations, Msg(ctx, "opt.revocations"));
  verify->add_option("--now", o->now, Msg(ctx, "opt.now"));
  verify->callback(
      [&action, &ctx, o] { action = [&ctx, o] { return VerifyCredential(ctx, *o); }; });

  auto* apicmd = app.add_subcommand("api", Msg(ctx, "cmd.api"));
  apicmd->require_subcommand(1);
  auto* openapi = apicmd->add_subcommand("openapi", Msg(ctx, "cmd.api.openapi"));
  openapi->callback([&action, &ctx] {
    action = [&ctx] {
      ctx.out << api::OpenApiYaml();
      return kExitOk;
    };
  });
}

}  // namespace hoshi::cli
