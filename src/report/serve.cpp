// `neardup serve`: the HTTP side of the report, one thread per connection, no keep-alive. Enough
// for one analyst's browser on the same machine; it binds 127.0.0.1 only.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "neardup/error.hpp"
#include "neardup/report.hpp"
#include "report/html.hpp"

namespace neardup {
namespace {

// A request head larger than this is refused; a client silent for this long is dropped, so that
// a browser's speculative connection cannot hold a thread.
constexpr std::size_t max_request_bytes = 16 * 1024;
constexpr int client_timeout_seconds = 10;

// Only the page's own inline code and its own server: nothing leaves the machine.
constexpr const char* content_policy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'";

struct Response {
  int status = 200;
  std::string_view type = "text/plain; charset=utf-8";
  std::string_view body;
  bool gzip = false;
};

std::string_view reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    default: return "Request Header Fields Too Large";
  }
}

void send_all(int socket, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(socket, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return;  // the browser went away: nothing to tell it
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

// The value of a header in a request head, or "" (names compared without case).
std::string_view header(std::string_view head, std::string_view name) {
  for (std::size_t line = head.find("\r\n"); line != std::string_view::npos; line = head.find("\r\n", line + 2)) {
    const std::string_view rest = head.substr(line + 2);
    if (rest.size() <= name.size() || rest[name.size()] != ':') continue;
    if (!std::equal(name.begin(), name.end(), rest.begin(), [](char x, char y) {
          return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
        })) continue;
    std::string_view value = rest.substr(name.size() + 1, rest.find("\r\n") - name.size() - 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    return value;
  }
  return {};
}

Response respond(const detail::ServedReport& served, std::string_view head, std::uint16_t port) {
  const std::size_t method_end = head.find(' ');
  const std::size_t target_end = method_end == std::string_view::npos ? method_end : head.find(' ', method_end + 1);
  if (target_end == std::string_view::npos) return {400, "text/plain; charset=utf-8", "not an HTTP request\n"};
  const std::string_view method = head.substr(0, method_end);
  std::string_view target = head.substr(method_end + 1, target_end - method_end - 1);
  target = target.substr(0, target.find('?'));
  const std::string_view host = header(head, "Host");
  const std::string port_suffix = ":" + std::to_string(port);
  if (host != "127.0.0.1" + port_suffix && host != "localhost" + port_suffix)
    return {403, "text/plain; charset=utf-8", "this server answers for 127.0.0.1 and localhost only\n"};
  if (method != "GET" && method != "HEAD") return {405, "text/plain; charset=utf-8", "only GET and HEAD\n"};
  if (target == "/" || target == "/index.html") return {200, "text/html; charset=utf-8", served.page};
  constexpr std::string_view detail_prefix = "/detail/";
  if (target.starts_with(detail_prefix)) {
    const auto chunk = served.chunks.find(std::string(target.substr(detail_prefix.size())));
    if (chunk != served.chunks.end()) return {200, "application/json", chunk->second, true};
  }
  return {404, "text/plain; charset=utf-8", "no such page\n"};
}

void answer(int client, const detail::ServedReport& served, std::uint16_t port) {
  const timeval timeout{client_timeout_seconds, 0};
  setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  std::string head;
  char buffer[4096];
  std::size_t head_end = std::string::npos;
  while ((head_end = head.find("\r\n\r\n")) == std::string::npos && head.size() <= max_request_bytes) {
    const ssize_t got = ::recv(client, buffer, sizeof buffer, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return;
    head.append(buffer, static_cast<std::size_t>(got));
  }
  if (head_end == std::string::npos || head_end > max_request_bytes) {
    send_all(client, "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  head.resize(head_end + 2);
  const Response response = respond(served, head, port);
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + std::string(reason(response.status)) +
                    "\r\nContent-Type: " + std::string(response.type) + "\r\nContent-Length: " + std::to_string(response.body.size()) +
                    "\r\nContent-Security-Policy: " + content_policy +
                    "\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n";
  if (response.gzip) out += "Content-Encoding: gzip\r\n";
  out += "\r\n";
  send_all(client, out);
  if (!head.starts_with("HEAD ")) send_all(client, response.body);
}

}  // namespace

void serve_html_report(const ReportData& data, std::uint16_t port, const std::function<void(std::uint16_t)>& listening) {
  // Shared with the connection threads, which may outlive a throw out of the accept loop.
  const auto served = std::make_shared<const detail::ServedReport>(detail::served_report(data));
  const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (server < 0) throw Error(ErrorCode::io, std::string("cannot open a socket: ") + std::strerror(errno));
  const int yes = 1;
  setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(server, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 || ::listen(server, 64) != 0) {
    const std::string why = std::strerror(errno);
    ::close(server);
    throw Error(ErrorCode::io, "cannot listen on 127.0.0.1:" + std::to_string(port) + " (" + why +
                                   "); give another --port, or --port 0 for any free one");
  }
  socklen_t length = sizeof address;
  getsockname(server, reinterpret_cast<sockaddr*>(&address), &length);
  const std::uint16_t bound = ntohs(address.sin_port);
  listening(bound);
  for (;;) {
    const int client = ::accept4(server, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE) {  // out of descriptors: let the open connections finish
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      }
      const std::string why = std::strerror(errno);
      ::close(server);
      throw Error(ErrorCode::io, "the server stopped accepting connections (" + why + ")");
    }
    std::thread([client, served, bound] {
      answer(client, *served, bound);
      ::close(client);
    }).detach();
  }
}

}  // namespace neardup
