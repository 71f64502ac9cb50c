-- Calling hours: the one home of "no donor outside calling hours". Every statement that asks
-- whether a donor may be called at some instant calls these functions: the claim (per row, with
-- the rules read once per claim: dialer_claim_next_donor), the Out of Data counts and "until
-- Monday 09:00" (OUT_OF_DATA_REASONS in dialer.sql.ts), the sweep that marks call-backs missed at
-- the end of the donor's calling day (MARK_MISSED_APPOINTMENTS), and the check of a call-back
-- time being booked (CALLING_WINDOW_AT in calling-window.sql.ts).
-- The browser's display of it (`mayCallAt` in packages/contracts/src/calling-hours.ts) is held to
-- the same cases (calling-hours.cases.ts) by calling-window.int.test.ts and its unit test.
--
-- The rule: on the donor's local date (read in the donor's IANA zone by PostgreSQL, so daylight
-- saving is right), calling is open from the later of the campaign's start that weekday and the
-- legal window's start, to the earlier of the two ends; closed on the campaign's closed dates, on
-- weekdays without campaign hours, and on weekdays the legal window of the donor's country closes.
-- The legal window is the organisation's (organisation_settings): the country's own if set, else
-- the default one.
--
-- Installed with the dialer's other routines (dialer.routines.ts, db/routines.ts);
-- `engage_calling_rules` is a type, so it is dropped (with the functions that take it) and created
-- again whenever the text of the routines changes.
DROP TYPE IF EXISTS engage_calling_rules CASCADE;
-- What decides a campaign's calling hours, read once (engage_calling_rules(campaign)): the
-- campaign's hours per ISO weekday (index 1 Monday .. 7 Sunday, NULL: no calls), its closed dates,
-- the default legal window and the countries' own (closed weekdays as bit masks, bit n = weekday n).
CREATE TYPE engage_calling_rules AS (
  day_opens time[], day_closes time[], closed_dates date[],
  legal_opens time, legal_closes time, legal_closed int,
  countries text[], country_opens time[], country_closes time[], country_closed int[]
);

CREATE OR REPLACE FUNCTION engage_calling_rules(p_campaign int) RETURNS engage_calling_rules
LANGUAGE sql STABLE AS $fn$
  SELECT ROW(
    ARRAY(SELECT (h.d->>'start')::time FROM jsonb_array_elements(c.weekday_hours) WITH ORDINALITY h(d, n) ORDER BY h.n),
    ARRAY(SELECT (h.d->>'end')::time FROM jsonb_array_elements(c.weekday_hours) WITH ORDINALITY h(d, n) ORDER BY h.n),
    c.closed_dates,
    o.legal_hours_start, o.legal_hours_end,
    (SELECT COALESCE(sum(1 << wd), 0)::int FROM unnest(o.legal_closed_weekdays) wd),
    ARRAY(SELECT w.x->>'country' FROM jsonb_array_elements(o.country_calling_windows) WITH ORDINALITY w(x, n) ORDER BY w.n),
    ARRAY(SELECT (w.x->>'start')::time FROM jsonb_array_elements(o.country_calling_windows) WITH ORDINALITY w(x, n) ORDER BY w.n),
    ARRAY(SELECT (w.x->>'end')::time FROM jsonb_array_elements(o.country_calling_windows) WITH ORDINALITY w(x, n) ORDER BY w.n),
    ARRAY(SELECT (SELECT COALESCE(sum(1 << wd::int), 0)::int FROM jsonb_array_elements_text(w.x->'closedWeekdays') wd)
            FROM jsonb_array_elements(o.country_calling_windows) WITH ORDINALITY w(x, n) ORDER BY w.n)
  )::engage_calling_rules
  FROM campaigns c CROSS JOIN organisation_settings o
  WHERE c.id = p_campaign AND o.id = 1
$fn$;

-- When calling opens on a donor's local date; NULL: nobody of that country is called that day.
CREATE OR REPLACE FUNCTION engage_day_opens(p_day date, p_country text, r engage_calling_rules) RETURNS time
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT CASE
    WHEN p_day = ANY (r.closed_dates) THEN NULL
    WHEN (COALESCE(r.country_closed[array_position(r.countries, p_country)], r.legal_closed)
          >> extract(isodow FROM p_day)::int) & 1 = 1 THEN NULL
    WHEN r.day_opens[extract(isodow FROM p_day)::int] IS NULL THEN NULL
    ELSE GREATEST(r.day_opens[extract(isodow FROM p_day)::int],
                  COALESCE(r.country_opens[array_position(r.countries, p_country)], r.legal_opens))
  END
$fn$;

-- When calling closes on a donor's local date ('24:00' is midnight).
CREATE OR REPLACE FUNCTION engage_day_closes(p_day date, p_country text, r engage_calling_rules) RETURNS time
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT LEAST(r.day_closes[extract(isodow FROM p_day)::int],
               COALESCE(r.country_closes[array_position(r.countries, p_country)], r.legal_closes))
$fn$;

-- THE rule: may a donor of p_country be called at local wall-clock time p_local?
CREATE OR REPLACE FUNCTION engage_may_call_at(p_local timestamp, p_country text, r engage_calling_rules) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT COALESCE(p_local::time >= engage_day_opens(p_local::date, p_country, r)
                  AND p_local::time < engage_day_closes(p_local::date, p_country, r), false)
$fn$;

-- The same for a campaign, a donor's zone and country, at an instant.
CREATE OR REPLACE FUNCTION engage_may_call_now(p_tz text, p_country text, p_campaign int, p_at timestamptz) RETURNS boolean
LANGUAGE sql STABLE AS $fn$
  SELECT engage_may_call_at(p_at AT TIME ZONE p_tz, p_country, engage_calling_rules(p_campaign))
$fn$;

-- The first instant from p_at at which a donor may be called (p_at itself when open now); NULL
-- when calling does not open within a year.
CREATE OR REPLACE FUNCTION engage_next_opening(p_tz text, p_country text, r engage_calling_rules, p_at timestamptz)
RETURNS timestamptz LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  v_local timestamp := p_at AT TIME ZONE p_tz;
  v_day date;
  v_opens time;
  v_closes time;
BEGIN
  FOR i IN 0..370 LOOP
    v_day := v_local::date + i;
    v_opens := engage_day_opens(v_day, p_country, r);
    v_closes := engage_day_closes(v_day, p_country, r);
    CONTINUE WHEN v_opens IS NULL OR v_closes IS NULL OR v_opens >= v_closes;
    IF i > 0 OR v_local::time < v_opens THEN RETURN (v_day + v_opens) AT TIME ZONE p_tz; END IF;
    IF v_local::time < v_closes THEN RETURN p_at; END IF;
  END LOOP;
  RETURN NULL;
END $fn$;

