-- POST the sign form as a population of real browsers does: every request has its own email,
-- client address (X-Forwarded-For, from the trusted proxy on loopback) and a proof-of-work
-- payload solved beforehand, with the CSRF cookie and token from one GET of the campaign page.
-- Environment: BENCH_PATH (the sign URL path), BENCH_COOKIE, BENCH_REQUESTS (the prefix of
-- the request files bench/run.py wrote, one per wrk thread: "address TAB body" per line).
-- Each payload is accepted once: if the lines run out they are sent again and refused, which
-- the run reports as errors.
local path = os.getenv("BENCH_PATH")
local cookie = os.getenv("BENCH_COOKIE")
local prefix = os.getenv("BENCH_REQUESTS")
local addresses = {}
local bodies = {}
local n = 0

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "csrftoken=" .. cookie
  wrk.headers["Referer"] = "http://127.0.0.1/"
  for line in io.lines(prefix .. "." .. id) do
    local tab = line:find("\t", 1, true)
    table.insert(addresses, line:sub(1, tab - 1))
    table.insert(bodies, line:sub(tab + 1))
  end
end

function request()
  n = n + 1
  local i = ((n - 1) % #bodies) + 1
  wrk.headers["X-Forwarded-For"] = addresses[i]
  return wrk.format(nil, path, nil, bodies[i])
end
