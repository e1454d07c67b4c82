import { Gauge, type Registry } from 'prom-client';

export type { Registry as MetricsRegistry } from 'prom-client';

export type GaugeDefinition<L extends string> = {
  name: string;
  help: string;
  labelNames: readonly L[];
  /** Called on each scrape, before the gauge is read (set the current values here). */
  collect?: (gauge: Gauge<L>) => void;
};

/**
 * A gauge on `registry`, or the one already registered under that name (two components of one
 * service sharing a metric must not throw on its name). A `collect` of a later caller is not added:
 * share the values through one collector per metric, or set them directly.
 */
export function registerGauge<L extends string>(registry: Registry, def: GaugeDefinition<L>): Gauge<L> {
  const existing = registry.getSingleMetric(def.name) as Gauge<L> | undefined;
  if (existing) return existing;
  const collect = def.collect;
  return new Gauge<L>({
    name: def.name,
    help: def.help,
    labelNames: def.labelNames,
    registers: [registry],
    ...(collect ? { collect(this: Gauge<L>) { collect(this); } } : {}),
  });
}
