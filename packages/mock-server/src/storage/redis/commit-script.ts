/**
 * The commit script: one transaction of one tenant, applied atomically, or refused with what the
 * committer must re-read. Every state change of the engine (reserve, confirm, capture, release,
 * expiry, promotion, refund…) is one call of it: the transition runs in Node on the instance's
 * replica, and this script checks that nothing it read has changed since, then writes it all.
 *
 * KEYS: 1 generation, 2 records, 3 versions, 4 seq, 5 last, 6 log, 7 jobs, 8 job data,
 * 9 job counter, 10 this commit's id, 11… the token-id keys spent.
 *
 * A commit whose reply was lost (the connection dropped and the client sent it again) answers the
 * reply it got the first time, kept under its commit id for ten minutes: it is applied once.
 *
 * ARGV: 1 the generation the replica holds, 2 nReads, then nReads × (field, version),
 * then nTokens × (how long to keep the token id, ms: PX, not PXAT, because the engine's clock may be
 * a manual one far from Redis's) for KEYS 11…, then nWrites, nWrites × (field, json; '' deletes),
 * then nJobs, nJobs × (at, job json), then nEvents, the events' JSON (opaque), the commit time.
 *
 * The stream entry holds `s` (the first seq), `e` (the events), `t` (the time), `w:<version>:<field>`
 * per write and, when jobs were scheduled, `j` (the earliest one's due time), so every instance
 * knows when it next has work to sweep for.
 *
 * Answers `{ 'generation', current }` when a reset moved on, `{ 'stale', field, version, json, … }`
 * when records read have changed (their current versions and values), `{ 'spent', index… }` when
 * token ids were spent already; or `{ 'ok', seq0, entryId, previousEntryId, version… }`: the first
 * event's `seq`, the stream entry written and the one before it, and each write's new version.
 * Every loop runs over ARGV, whose length the committer bounds ({@link MAX_COMMIT_ITEMS}).
 */
export const COMMIT_LUA = `
local generation = redis.call('GET', KEYS[1]) or '0'
if generation ~= ARGV[1] then return { 'generation', generation } end
local done = redis.call('GET', KEYS[10])
if done then return cjson.decode(done) end

local at = 2
local nReads = tonumber(ARGV[at]); at = at + 1
local stale = { 'stale' }
for i = 1, nReads do
  local field, expected = ARGV[at], ARGV[at + 1]; at = at + 2
  local version = redis.call('HGET', KEYS[3], field) or '0'
  if version ~= expected then
    stale[#stale + 1] = field
    stale[#stale + 1] = version
    stale[#stale + 1] = redis.call('HGET', KEYS[2], field) or ''
  end
end
if #stale > 1 then return stale end

local nTokens = #KEYS - 10
local spent = { 'spent' }
for i = 1, nTokens do
  if redis.call('EXISTS', KEYS[10 + i]) == 1 then spent[#spent + 1] = i - 1 end
end
if #spent > 1 then return spent end
for i = 1, nTokens do
  redis.call('SET', KEYS[10 + i], '1', 'PX', ARGV[at], 'NX'); at = at + 1
end

local result = { 'ok', 0, '', '' }
local entry = {}
local nWrites = tonumber(ARGV[at]); at = at + 1
for i = 1, nWrites do
  local field, json = ARGV[at], ARGV[at + 1]; at = at + 2
  local version = redis.call('HINCRBY', KEYS[3], field, 1)
  if json == '' then redis.call('HDEL', KEYS[2], field) else redis.call('HSET', KEYS[2], field, json) end
  result[#result + 1] = version
  entry[#entry + 1] = 'w:' .. version .. ':' .. field
  entry[#entry + 1] = json
end

local nJobs = tonumber(ARGV[at]); at = at + 1
local firstJob = nil
for i = 1, nJobs do
  local id = string.format('%016d', redis.call('INCR', KEYS[9]))
  redis.call('ZADD', KEYS[7], ARGV[at], id)
  redis.call('HSET', KEYS[8], id, ARGV[at + 1])
  if firstJob == nil or tonumber(ARGV[at]) < firstJob then firstJob = tonumber(ARGV[at]) end
  at = at + 2
end
if firstJob ~= nil then
  entry[#entry + 1] = 'j'
  entry[#entry + 1] = string.format('%d', firstJob)
end

local nEvents = tonumber(ARGV[at])
local seq0 = redis.call('INCRBY', KEYS[4], nEvents) - nEvents + 1
result[2] = seq0
local id = redis.call('XADD', KEYS[6], '*', 's', seq0, 'e', ARGV[at + 1], 't', ARGV[at + 2], unpack(entry))
result[3] = id
result[4] = redis.call('GET', KEYS[5]) or ''
redis.call('SET', KEYS[5], id)
redis.call('SET', KEYS[10], cjson.encode(result), 'PX', 600000)
return result
`;

/**
 * The load script: a consistent snapshot of one tenant, taken in one step so nothing commits
 * between its parts. KEYS: 1 generation, 2 records, 3 versions, 4 last, 5 chain.
 * Answers `{ generation, lastEntryId, records (flat field/json), versions (flat field/version),
 * checkpointSeq, checkpointHash }`.
 */
export const LOAD_LUA = `
return {
  redis.call('GET', KEYS[1]) or '0',
  redis.call('GET', KEYS[4]) or '0-0',
  redis.call('HGETALL', KEYS[2]),
  redis.call('HGETALL', KEYS[3]),
  redis.call('HGET', KEYS[5], 'trimmedSeq') or '0',
  redis.call('HGET', KEYS[5], 'trimmedHash') or ''
}
`;

/**
 * The most fields, tokens, writes, jobs and events one commit may carry: a bound on every loop of
 * {@link COMMIT_LUA}, so no commit blocks Redis for long. The engine's largest transitions (a
 * session ending with all its offers, an export's worth of events) stay below it.
 */
export const MAX_COMMIT_ITEMS = 8000;

/** The most records one commit may write: each is two fields of its stream entry, and Lua unpacks at most 8,000 values. */
export const MAX_COMMIT_WRITES = 3900;
