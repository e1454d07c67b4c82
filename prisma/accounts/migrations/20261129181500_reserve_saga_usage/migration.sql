-- Reserves a transfer saga's amount against the daily usage of its customer and of its tenant, in
-- one round trip and exactly once (it replaces a five-statement interactive transaction on every
-- transfer). Under the caller's lease (fence = attempts), the saga moves from step HOLD (or RISK,
-- written by earlier versions) to LIMITS, recording the usage day and extending the lease, and both
-- counters grow with a conditional upsert that never passes a limit, even under concurrency (the
-- upsert's row lock serialises writers of one counter). If either counter refuses, the counters
-- are untouched (the inner block is a subtransaction, rolled back by the exception) and the saga
-- moves to step VOID with failure_code LIMIT_EXCEEDED instead. Returns the saga row as written, or
-- no row when the lease was lost or the saga is not at that step (nothing written).
-- A NULL limit is no limit.
CREATE FUNCTION accounts.reserve_saga_usage(
  p_saga uuid,
  p_fence integer,
  p_day text,
  p_lease_seconds integer,
  p_customer_limit bigint,
  p_tenant_limit bigint
) RETURNS SETOF accounts.transfer_saga
LANGUAGE plpgsql AS $$
DECLARE
  s accounts.transfer_saga%ROWTYPE;
BEGIN
  UPDATE accounts.transfer_saga
  SET step = 'LIMITS', usage_day = p_day, updated_at = now(), lease_until = now() + make_interval(secs => p_lease_seconds)
  WHERE id = p_saga AND state = 'HELD' AND step IN ('HOLD', 'RISK') AND attempts = p_fence
  RETURNING * INTO s;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  BEGIN
    INSERT INTO accounts.daily_usage (scope, currency, day, amount)
    SELECT 'customer:' || s.customer_id, s.currency, p_day, s.amount
    WHERE p_customer_limit IS NULL OR s.amount <= p_customer_limit
    ON CONFLICT (scope, currency, day) DO UPDATE SET amount = accounts.daily_usage.amount + EXCLUDED.amount
    WHERE p_customer_limit IS NULL OR accounts.daily_usage.amount + EXCLUDED.amount <= p_customer_limit;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'PER_DAY_CUSTOMER';
    END IF;
    INSERT INTO accounts.daily_usage (scope, currency, day, amount)
    SELECT 'tenant:' || s.tenant_id, s.currency, p_day, s.amount
    WHERE p_tenant_limit IS NULL OR s.amount <= p_tenant_limit
    ON CONFLICT (scope, currency, day) DO UPDATE SET amount = accounts.daily_usage.amount + EXCLUDED.amount
    WHERE p_tenant_limit IS NULL OR accounts.daily_usage.amount + EXCLUDED.amount <= p_tenant_limit;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'PER_DAY_TENANT';
    END IF;
  EXCEPTION WHEN raise_exception THEN
    UPDATE accounts.transfer_saga
    SET step = 'VOID', usage_day = NULL, failure_code = 'LIMIT_EXCEEDED', updated_at = now()
    WHERE id = p_saga
    RETURNING * INTO s;
  END;
  RETURN NEXT s;
END;
$$;
