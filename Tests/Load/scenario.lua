-- One wrk script for every scenario, chosen by the SCENARIO environment variable:
--   health | list | list-cold | shops | search | product | page | home | login | order | shops-order | mixed | media
-- Shops (TENANTS file, one subdomain per line), product ids (IDS), customer tokens (TOKENS),
-- customer e-mails (EMAILS), for shops-order "shop token product" lines (SHOP-BUYERS) and for
-- media the URLs of uploaded pictures' renditions (MEDIA) come from files the harness writes. done() prints one RESULT line.
local scenario = os.getenv("SCENARIO") or "health"
local dir = os.getenv("LOAD_WORK") or "."

local function lines(name)
  local t = {}
  local f = io.open(dir .. "/" .. name, "r")
  if f then for l in f:lines() do if #l > 0 then t[#t + 1] = l end end f:close() end
  return t
end

local tenants, ids, tokens, emails = lines("tenants.txt"), lines("ids.txt"), lines("tokens.txt"), lines("emails.txt")
local slugs = lines("slugs.txt")
local buyers, media = lines("shop-buyers.txt"), lines("media.txt")
local terms = { "copper kettle", "bamboo", "linen blanket", "walnut desk", "ceramic mug", "steel bottle", "wool", "glass lamp",
                "teapot", "planter", "towel", "backpack", "chair", "basket", "copp", "lamp" }
local counter = 0
local checkout = '"shippingAddress":{"name":"Load Buyer","line1":"Unter den Linden 1","city":"Berlin","postalCode":"10117","country":"DE"},'
  .. '"shippingMethodId":"00000000-0000-4000-8000-00000000b001","couponCode":"LOAD10"'

local function pick(list) counter = counter + 1; return list[(counter % #list) + 1] end

local function get(path, tenant)
  return wrk.format("GET", path, { ["X-Tenant-ID"] = tenant or tenants[1] })
end

local function post(path, body, token, tenant)
  local headers = { ["X-Tenant-ID"] = tenant or tenants[1], ["Content-Type"] = "application/json" }
  if token then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("POST", path, headers, body)
end

local builders = {
  health = function() return wrk.format("GET", "/health/live") end,
  list = function() return get("/api/v1/products?limit=20", pick(tenants)) end,
  -- Many shops touched in random order (TENANTS=10000): most requests find their shop's file closed.
  shops = function() return get("/api/v1/products?limit=20", tenants[math.random(#tenants)]) end,
  -- A listing no cache holds: every request a price floor of its own, so each page is read from
  -- the shop's file and its rows decoded (what the hand-written product decoder is kept for).
  ["list-cold"] = function()
    return get(string.format("/api/v1/products?limit=20&sort=price&minPrice=%d.%02d", math.random(0, 40), math.random(0, 99)))
  end,
  search = function() return get("/api/v1/products?limit=20&search=" .. pick(terms):gsub(" ", "%%20")) end,
  product = function() return get("/api/v1/products/" .. pick(ids)) end,
  -- The storefront's product page, rendered on the server (issue 38): HTML with JSON-LD, cached.
  page = function() return get("/products/" .. pick(slugs)) end,
  home = function() return get("/") end,
  login = function()
    return post("/api/v1/auth/login", '{"email":"' .. pick(emails) .. '","password":"load-customer-pass"}')
  end,
  -- A storefront page's pictures: renditions served from the shop's file (no token, no shop header).
  media = function() return wrk.format("GET", pick(media)) end,
  -- A real checkout: address, shipping method, coupon; the shop charges 19 % VAT (seed.sql).
  order = function()
    return post("/api/v1/orders", '{"items":[{"productId":"' .. pick(ids) .. '","quantity":1}],' .. checkout .. '}', pick(tokens))
  end,
}
-- Several shops taking orders at the same time: each request is one buyer of one shop, checking out
-- as the order scenario does (every shop is seeded with the same shipping method and code).
builders["shops-order"] = function()
  local shop, token, product = pick(buyers):match("^(%S+) (%S+) (%S+)$")
  return post("/api/v1/orders", '{"items":[{"productId":"' .. product .. '","quantity":1}],' .. checkout .. '}', token, shop)
end
-- The storefront mix: browse most, search some, look at products, now and then buy.
builders.mixed = function()
  local roll = math.random(100)
  if roll <= 55 then return builders.list() end
  if roll <= 75 then return builders.product() end
  if roll <= 95 then return builders.search() end
  return builders.order()
end

function setup(thread) thread:set("id", math.random(1000000)) end
function init(args) math.randomseed(os.time() + (id or 0)); counter = math.random(1000) end
function request() return builders[scenario]() end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"scenario":"%s","requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"socket_errors":%d,"non2xx":%d}\n',
    scenario, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
