-- wrk script for bench/load.sh: 90 % page views over the posts, 10 % comment posts.
--
-- LOAD_PAGES: a file of post paths, one a line.
-- LOAD_COMMENTS: a file of prepared comment POSTs (bench/load_site.py prepare), one a line:
--   post path <TAB> X-Forwarded-For address <TAB> urlencoded form body.
-- LOAD_COOKIE: the CSRF cookie's value; LOAD_BASE: the balancer's URL (for Referer).
-- LOAD_IDS: where done() writes the ids named by the 303s' Location (#comment-N).
-- LOAD_THREADS: wrk's -t, so that each thread takes its own share of the comment forms.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local pages, comments = {}, {}
local sent, taken = 0, 0
statuses = {}
acknowledged = {}
comments_sent = 0
pool_empty = 0

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then table.insert(out, line) end
  end
  return out
end

function init(args)
  local nthreads = tonumber(os.getenv("LOAD_THREADS") or "1")
  pages = lines(os.getenv("LOAD_PAGES"))
  local n = 0
  for line in io.lines(os.getenv("LOAD_COMMENTS")) do
    if n % nthreads == thread_id then
      local path, address, body = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
      table.insert(comments, {path = path, address = address, body = body})
    end
    n = n + 1
  end
  math.randomseed(1000 + thread_id)
  cookie = "csrftoken=" .. os.getenv("LOAD_COOKIE")
  base = os.getenv("LOAD_BASE")
end

function request()
  sent = sent + 1
  if sent % 10 == 0 then
    if taken < #comments then
      taken = taken + 1
      comments_sent = comments_sent + 1
      local c = comments[taken]
      return wrk.format("POST", "/wp-comments-post.php", {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["Cookie"] = cookie,
        ["Referer"] = base .. c.path,
        ["X-Forwarded-For"] = c.address,
      }, c.body)
    end
    pool_empty = pool_empty + 1
  end
  return wrk.format("GET", pages[math.random(#pages)])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 303 then
    local location = headers["Location"] or headers["location"] or ""
    local id = location:match("#comment%-(%d+)$")
    if id then table.insert(acknowledged, id) end
  end
end

function done(summary, latency, requests)
  local all, ids, posted, empty = {}, {}, 0, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do all[status] = (all[status] or 0) + n end
    for _, id in ipairs(thread:get("acknowledged")) do table.insert(ids, id) end
    posted = posted + thread:get("comments_sent")
    empty = empty + thread:get("pool_empty")
  end
  local f = io.open(os.getenv("LOAD_IDS"), "w")
  f:write(table.concat(ids, "\n"), "\n")
  f:close()
  local fivexx = 0
  io.write("LOAD statuses:")
  local keys = {}
  for status in pairs(all) do table.insert(keys, status) end
  table.sort(keys)
  for _, status in ipairs(keys) do
    io.write(string.format(" %d=%d", status, all[status]))
    if status >= 500 then fivexx = fivexx + all[status] end
  end
  io.write("\n")
  io.write(string.format("LOAD requests=%d seconds=%.1f rps=%.1f\n", summary.requests,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("LOAD comments_sent=%d acknowledged_303=%d pool_empty=%d 5xx=%d\n",
    posted, #ids, empty, fivexx))
  local e = summary.errors
  io.write(string.format("LOAD errors connect=%d read=%d write=%d timeout=%d status=%d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("LOAD latency_ms p50=%.1f p90=%.1f p99=%.1f max=%.1f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
