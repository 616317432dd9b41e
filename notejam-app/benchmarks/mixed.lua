-- wrk script for the soak: a signed-in user's mix of reads and writes over the seeded data, plus anonymous
-- visitors. An answer is good when it is 200, or a 302 that is not a bounce to /signin/ (lost session).
--   30% all notes (random page)   10% all notes sorted by name   20% one note   10% a pad page
--   10% create a note (POST)      10% edit a note (POST)          5% sign-in page, anonymous   5% stylesheet
local threads = {}
function setup(thread)
  thread:set("seed", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  -- The form's CSRF token must match the XSRF-TOKEN cookie it came with.
  cookie = "SESSION=" .. os.getenv("BENCH_COOKIE") .. "; XSRF-TOKEN=" .. os.getenv("BENCH_XSRF")
  csrf = os.getenv("BENCH_CSRF")
  noteMin = tonumber(os.getenv("NOTE_MIN"))
  noteMax = tonumber(os.getenv("NOTE_MAX"))
  pads = {}
  for p in string.gmatch(os.getenv("PAD_IDS"), "%d+") do table.insert(pads, p) end
  math.randomseed(os.time() * 1000 + seed)
  bad = 0
  badExample = ""
end
local function get(path, signedIn)
  local headers = { Accept = "text/html" }
  if signedIn then headers.Cookie = cookie end
  return wrk.format("GET", path, headers)
end
local function post(path, body)
  return wrk.format("POST", path,
    { Cookie = cookie, Accept = "text/html", ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
function request()
  local r = math.random(100)
  if r <= 30 then return get("/?page=" .. math.random(1, 500), true)
  elseif r <= 40 then return get("/?order=name&page=" .. math.random(1, 500), true)
  elseif r <= 60 then return get("/notes/" .. math.random(noteMin, noteMax) .. "/", true)
  elseif r <= 70 then return get("/pads/" .. pads[math.random(#pads)] .. "/?page=" .. math.random(1, 50), true)
  elseif r <= 80 then
    return post("/notes/create/", "_csrf=" .. csrf .. "&name=Soak+note+" .. math.random(1e6) .. "&text=Written+under+load&pad=")
  elseif r <= 90 then
    return post("/notes/" .. math.random(noteMin, noteMax) .. "/edit/",
      "_csrf=" .. csrf .. "&name=Edited+" .. math.random(1e6) .. "&text=Edited+under+load&pad=" .. pads[math.random(#pads)])
  elseif r <= 95 then return get("/signin/", false)
  else return get("/css/notejam.css", false)
  end
end
function response(status, headers, body)
  local location = headers["Location"] or ""
  if not (status == 200 or (status == 302 and not string.find(location, "/signin"))) then
    bad = bad + 1
    badExample = status .. " " .. location
  end
end
function done(summary, latency, requests)
  local errors, example = 0, ""
  for _, t in ipairs(threads) do
    errors = errors + t:get("bad")
    if t:get("badExample") ~= "" then example = t:get("badExample") end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f bad=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors,
    e.connect + e.read + e.write + e.timeout))
  if example ~= "" then io.write("BAD_EXAMPLE " .. example .. "\n") end
end
