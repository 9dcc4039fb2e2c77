-- GET one path (BENCH_PATH) over and over.
local path = os.getenv("BENCH_PATH")

function request()
  return wrk.format("GET", path)
end
