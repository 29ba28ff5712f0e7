// SPDX-License-Identifier: Apache-2.0
// docs/api/openapi.yaml and the route table of docs/api.md, generated from the route table (tests
// fail when either is stale).
#include <map>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "hoshi/core/text.h"

#include "context.h"

namespace hoshi::api {
namespace {

/// A YAML double-quoted scalar.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::vector<std::string> PathParams(std::string_view path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = path.find('{', pos)) != std::string_view::npos) {
    const std::size_t end = path.find('}', pos);
    out.emplace_back(path.substr(pos + 1, end - pos - 1));
    pos = end;
  }
  return out;
}

}  // namespace

std::string OpenApiYaml() {
  std::string y;
  y += "# Generated from the route table in src/api/routes.cc; do not edit.\n";
  y += "# Regenerate: HOSHI_UPDATE_GOLDEN=1 ctest -R OpenApi (or `hoshitori api openapi`).\n";
  y += "openapi: 3.1.0\n";
  y += "info:\n  title: hoshitori API\n  version: 1.0.0\n";
  y += "  description: >-\n    "
       "SCS評価制度（サプライチェーン強化に向けたセキュリティ対策評価制度）のための API。"
       "Errors are {\"error\": {\"code\", \"reason\", \"message\", \"request_id\"}} with the "
       "message in Japanese (default) or English (Accept-Language: en).\n";
  y += "servers:\n  - url: http://127.0.0.1:8080\n";
  y += "security:\n  - session: []\n  - token: []\n";
  // Group by path, keeping table order.
  std::vector<std::string_view> order;
  std::map<std::string_view, std::vector<const Route*>> by_path;
  for (const Route& r : Routes()) {
    if (by_path.find(r.path) == by_path.end()) {
      order.push_back(r.path);
    }
    by_path[r.path].push_back(&r);
  }
  y += "paths:\n";
  for (const std::string_view path : order) {
    y += fmt::format("  {}:\n", path);
    for (const Route* r : by_path[path]) {
      y += fmt::format("    {}:\n", ToLowerAscii(r->method));
      y += fmt::format("      tags: [{}]\n", r->tag);
      y += fmt::format("      summary: {}\n", Quote(r->summary_ja));
      y += fmt::format("      description: {}\n",
                       Quote(fmt::format("{}. Who: {}.", r->summary_en, r->who)));
      y += fmt::format("      operationId: {}\n",
                       Quote(fmt::format("{}:{}", ToLowerAscii(r->method), r->path)));
      if (r->access == Access::kPublic) {
        y += "      security: []\n";
      }
      const auto params = PathParams(r->path);
      if (!params.empty()) {
        y += "      parameters:\n";
        for (const auto& p : params) {
          y += fmt::format(
              "        - name: {}\n          in: path\n          required: true\n"
              "          schema:\n            type: string\n",
              p);
        }
      }
      if (r->body == BodyKind::kJson) {
        y += "      requestBody:\n        required: true\n        content:\n"
             "          application/json:\n            schema:\n              type: object\n";
      } else if (r->body == BodyKind::kUpload) {
        y +=
            "      requestBody:\n        required: true\n        content:\n"
            "          application/octet-stream:\n            schema:\n              type: string\n"
            "              format: binary\n";
      }
      y += "      responses:\n";
      y += "        '2XX':\n          description: OK\n";
      y += "        '4XX':\n          description: Client error\n          content:\n"
           "            application/json:\n              schema:\n"
           "                $ref: '#/components/schemas/Error'\n";
    }
  }
  y += "components:\n";
  y += "  securitySchemes:\n";
  y += "    session:\n      type: apiKey\n      in: cookie\n      name: hoshi_session\n"
       "      description: Session cookie from POST /api/v1/auth/login; unsafe methods also need "
       "the X-CSRF-Token header.\n";
  y += "    token:\n      type: http\n      scheme: bearer\n"
       "      description: API token from POST /api/v1/me/tokens.\n";
  y += "  schemas:\n";
  y += "    Error:\n      type: object\n      required: [error]\n      properties:\n"
       "        error:\n          type: object\n          required: [code, message, request_id]\n"
       "          properties:\n            code:\n              type: string\n"
       "              description: Stable error code (invalid_argument, not_found, ...).\n"
       "            reason:\n              type: string\n"
       "              description: Stable fine-grained reason, e.g. "
       "org.corporate_number_check_digit.\n"
       "            message:\n              type: string\n"
       "            request_id:\n              type: string\n";
  return y;
}

}  // namespace hoshi::api

namespace hoshi::api {

std::string RouteTableMarkdown() {
  std::string out =
      "| method | path | 概要 (summary) | access | body | who may call |\n"
      "|---|---|---|---|---|---|\n";
  for (const Route& r : Routes()) {
    std::string_view body = "—";
    if (r.body == BodyKind::kJson) {
      body = "JSON";
    } else if (r.body == BodyKind::kUpload) {
      body = "upload";
    }
    std::string summary = fmt::format("{}（{}）", r.summary_ja, r.summary_en);
    // A '|' inside a cell would end it.
    for (std::size_t at = 0; (at = summary.find('|', at)) != std::string::npos; at += 2) {
      summary.replace(at, 1, "\\|");
    }
    out += fmt::format("| `{}` | `{}` | {} | {} | {} | {} |\n", r.method, r.path, summary,
                       r.access == Access::kPublic ? "public" : "user", body, r.who);
  }
  return out;
}

}  // namespace hoshi::api
