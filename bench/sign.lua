-- POST the sign form: a unique email per request, the CSRF cookie/token pair from one GET.
-- Environment: BENCH_PATH (the sign URL path), BENCH_COOKIE, BENCH_TOKEN, BENCH_RUN (unique
-- per run and server group, so that emails never repeat across runs).
local path = os.getenv("BENCH_PATH")
local cookie = os.getenv("BENCH_COOKIE")
local token = os.getenv("BENCH_TOKEN")
local run = os.getenv("BENCH_RUN")
local countries = {"PL", "DE", "FR", "JP", "BY", "UA", "GB", "US", "CZ", "SE"}
local n = 0

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. cookie
  wrk.headers["Referer"] = "http://127.0.0.1/"
end

function request()
  n = n + 1
  local body = string.format(
    "csrfmiddlewaretoken=%s&name=Signer+%d&name_display=full&email=s%s-%d-%d%%40example.org" ..
    "&country=%s&city=Warsaw&consent_letter=on",
    token, n, run, id, n, countries[(n % #countries) + 1])
  return wrk.format(nil, path, nil, body)
end
