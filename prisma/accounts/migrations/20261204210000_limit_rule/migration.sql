-- The limits rule, said once (issue 11: it existed twice, in TypeScript and in this function). A
-- limit (NULL: none) less what was already used is the headroom left, never negative; an amount
-- fits when it is at most the headroom. The daily reservation (reserve_saga_usage: the conditional
-- upserts, decided under the counter's row lock, so concurrent reservations never pass a limit) and
-- the read-only check (check_limits: the outflow policy's screening, FX quotes) both use it.
CREATE FUNCTION accounts.limit_headroom(p_limit bigint, p_used bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_limit IS NULL THEN NULL ELSE GREATEST(p_limit - p_used, 0) END
$$;

-- The amount is numeric so that a check can be asked of any amount (no limit: anything fits).
CREATE FUNCTION accounts.fits_limit(p_amount numeric, p_used bigint, p_limit bigint) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT p_limit IS NULL OR p_amount <= accounts.limit_headroom(p_limit, p_used)
$$;

-- Every configured limit (in the order PER_TRANSACTION, PER_DAY_CUSTOMER, PER_DAY_TENANT) with what
-- is used of it and what is left; `exceeded` where `p_amount` does not fit (NULL amount: NULL), and
-- `binding` on the exceeded limit with the least headroom (ties: that order): the one a refusal names.
CREATE FUNCTION accounts.check_limits(
  p_amount numeric,
  p_used_customer bigint,
  p_used_tenant bigint,
  p_per_transaction bigint,
  p_per_day_customer bigint,
  p_per_day_tenant bigint
) RETURNS TABLE (kind text, limit_amount bigint, used bigint, remaining bigint, exceeded boolean, binding boolean)
LANGUAGE sql IMMUTABLE AS $$
  WITH configured AS (
    SELECT l.ord, l.kind, l.limit_amount, l.used, accounts.limit_headroom(l.limit_amount, l.used) AS remaining,
           NOT accounts.fits_limit(p_amount, l.used, l.limit_amount) AS exceeded
    FROM (VALUES (1, 'PER_TRANSACTION', p_per_transaction, 0::bigint),
                 (2, 'PER_DAY_CUSTOMER', p_per_day_customer, p_used_customer),
                 (3, 'PER_DAY_TENANT', p_per_day_tenant, p_used_tenant)) AS l(ord, kind, limit_amount, used)
    WHERE l.limit_amount IS NOT NULL
  )
  SELECT kind, limit_amount, used, remaining, exceeded,
         coalesce(exceeded, false) AND row_number() OVER (PARTITION BY coalesce(exceeded, false) ORDER BY remaining, ord) = 1 AS binding
  FROM configured
  ORDER BY ord
$$;

-- reserve_saga_usage as before (migration reserve_outflow_usage), its two conditional upserts now
-- asking accounts.fits_limit, and one more, optional, limit: p_per_transaction (NULL: none), refused
-- like a daily one (nothing reserved; step VOID, or FX FAILED, with LIMIT_EXCEEDED), so a caller
-- passing it needs no comparison of its own.
DROP FUNCTION accounts.reserve_saga_usage(uuid, integer, text, integer, bigint, bigint);
CREATE FUNCTION accounts.reserve_saga_usage(
  p_saga uuid,
  p_fence integer,
  p_day text,
  p_lease_seconds integer,
  p_customer_limit bigint,
  p_tenant_limit bigint,
  p_per_transaction bigint DEFAULT NULL
) RETURNS SETOF accounts.transfer_saga
LANGUAGE plpgsql AS $$
DECLARE
  s accounts.transfer_saga%ROWTYPE;
BEGIN
  UPDATE accounts.transfer_saga
  SET step = 'LIMITS', usage_day = p_day, updated_at = now(), lease_until = now() + make_interval(secs => p_lease_seconds)
  WHERE id = p_saga AND attempts = p_fence
    AND ((state = 'HELD' AND step IN ('HOLD', 'RISK')) OR (kind = 'FX' AND state = 'PENDING' AND step IS NULL))
  RETURNING * INTO s;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  BEGIN
    IF NOT accounts.fits_limit(s.amount, 0, p_per_transaction) THEN
      RAISE EXCEPTION 'PER_TRANSACTION';
    END IF;
    INSERT INTO accounts.daily_usage (scope, currency, day, amount)
    SELECT 'customer:' || s.customer_id, s.currency, p_day, s.amount
    WHERE accounts.fits_limit(s.amount, 0, p_customer_limit)
    ON CONFLICT (scope, currency, day) DO UPDATE SET amount = accounts.daily_usage.amount + EXCLUDED.amount
    WHERE accounts.fits_limit(EXCLUDED.amount, accounts.daily_usage.amount, p_customer_limit);
    IF NOT FOUND THEN
      RAISE EXCEPTION 'PER_DAY_CUSTOMER';
    END IF;
    INSERT INTO accounts.daily_usage (scope, currency, day, amount)
    SELECT 'tenant:' || s.tenant_id, s.currency, p_day, s.amount
    WHERE accounts.fits_limit(s.amount, 0, p_tenant_limit)
    ON CONFLICT (scope, currency, day) DO UPDATE SET amount = accounts.daily_usage.amount + EXCLUDED.amount
    WHERE accounts.fits_limit(EXCLUDED.amount, accounts.daily_usage.amount, p_tenant_limit);
    IF NOT FOUND THEN
      RAISE EXCEPTION 'PER_DAY_TENANT';
    END IF;
  EXCEPTION WHEN raise_exception THEN
    IF s.state = 'HELD' THEN
      UPDATE accounts.transfer_saga
      SET step = 'VOID', usage_day = NULL, failure_code = 'LIMIT_EXCEEDED', updated_at = now()
      WHERE id = p_saga
      RETURNING * INTO s;
    ELSE
      UPDATE accounts.transfer_saga
      SET state = 'FAILED', step = 'LIMITS', usage_day = NULL, failure_code = 'LIMIT_EXCEEDED', lease_until = NULL, updated_at = now()
      WHERE id = p_saga
      RETURNING * INTO s;
    END IF;
  END;
  RETURN NEXT s;
END;
$$;
