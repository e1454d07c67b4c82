-- One policy path for every outflow (issue 10 item 3): FX executions reserve their sell amount
-- against the same daily limits as transfers, with the same function. reserve_saga_usage now also
-- takes an FX saga that is PENDING at no step (before its ledger batch): it moves to step LIMITS,
-- or, when a limit refuses, ends FAILED with LIMIT_EXCEEDED (nothing was held, so nothing to void).
-- Transfers keep their behaviour: HELD at step HOLD (or RISK, from earlier versions) moves to
-- LIMITS, or to step VOID with LIMIT_EXCEEDED.
CREATE OR REPLACE FUNCTION accounts.reserve_saga_usage(
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
  WHERE id = p_saga AND attempts = p_fence
    AND ((state = 'HELD' AND step IN ('HOLD', 'RISK')) OR (kind = 'FX' AND state = 'PENDING' AND step IS NULL))
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
