#!/usr/bin/env python3
"""Seeded synthetic traffic for the risk models, with planted fraud as labels.

Simulates 60 days of PIX, TED, book transfers and card payments of a few thousand customers, plants
account takeovers, mule chains, rings and bust-outs, replays the events in time order through the
counters the platform keeps in Redis and the graph features the graph scans cache (fraud-features.json
says each one), and writes one row per movement of days 30-60 (days 0-30 warm the 30-day windows up):

  .data/fraud.csv   the 22 features of fraud-features.json (float32, in its order), label, pattern, day
  .data/credit.csv  an independent applicant table for the credit scorecard (credit_table below)

Only the code is committed: `python3 generate.py [--seed 7] [--customers 4000]`. Same seed and
numpy version, same files.
"""
from __future__ import annotations

import argparse
import collections
import json
import math
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '.data')
CONTRACT = json.load(open(os.path.join(HERE, 'fraud-features.json'), encoding='utf-8'))
FEATURES = [f['name'] for f in CONTRACT['features']]
CREDIT_FEATURES = [
    'account_age_months', 'monthly_inflow_log', 'months_with_income_6m', 'avg_balance_90d_log',
    'days_negative_90d', 'outflow_inflow_ratio_90d', 'failed_payments_90d', 'card_utilisation',
]

DAYS = 60
EMIT_FROM = 30
PUBLIC_HOLDERS = 20          # an identifier held by more customers is public and ignored
DIST_CAP = 6                 # 6 = no confirmed fraudster within 5 hops
DEGREE_CAP = 100
RATIO_CAP = 1000.0
AGE_CAP = 3650.0
CONFIRM_LAG_DAYS = 2.0       # a fraudster is confirmed this long after the first fraud...
CONFIRM_RATE = 0.6           # ...for this share of them
MERCHANT0 = 1_000_000        # merchant account ids start here; customers are 0..n-1
RAIL = {'book': 0, 'pix': 1, 'ted': 2, 'card': 3}

_day = np.array([0.3] * 6 + [1, 1] + [3] * 14 + [1.5, 1.5])
_owl = np.array([2] * 4 + [0.5] * 4 + [1] * 10 + [2.5] * 6)
DAY_PROFILE = _day / _day.sum()
OWL_PROFILE = _owl / _owl.sum()


class Simulation:
    """Customers (one account each, ids 0..), merchants (ids MERCHANT0..), identifiers, events."""

    def __init__(self, seed: int, customers: int, merchants: int = 300):
        self.rng = np.random.default_rng(seed)
        self.merchants = merchants
        self.seq = 0
        self.kind, self.open_day, self.avg, self.rate, self.owl = [], [], [], [], []
        self.devices, self.ips, self.phone, self.email, self.fav, self.payees = [], [], [], [], [], []
        self.events = []    # (t, payer, payee, amount, rail, device, ip, label, pattern)
        self.actors = {}    # fraud actor -> time of its first fraud
        self.cgnat = [self.new_id('ip') for _ in range(10)]
        rng = self.rng
        for _ in range(customers):
            young = rng.random() < 0.08
            self.add('normal', rng.uniform(-30, 40) if young else -rng.uniform(30, 3000),
                     rng.lognormal(math.log(15_000), 0.8), rng.lognormal(0, 0.5), owl=rng.random() < 0.15)
        self.n0 = customers
        for c in range(customers):
            if rng.random() < 0.4:
                self.devices[c].append(self.new_id('d'))
            self.payees[c] = [int(p) for p in rng.choice(customers, int(rng.integers(3, 9)), replace=False) if p != c]
        # Families share a home IP; some share a tablet too.
        order, i = rng.permutation(customers), 0
        while i < int(customers * 0.35):
            members = order[i:i + int(rng.integers(2, 5))]
            ip, tablet = self.new_id('ip'), (self.new_id('d') if rng.random() < 0.1 else None)
            for c in members:
                self.ips[c].append(ip)
                if tablet:
                    self.devices[c].append(tablet)
            i += len(members)
        self.established = [c for c in range(customers)]
        self.herder_devices = [self.new_id('d') for _ in range(10)]
        self.attacker_devices = [self.new_id('d') for _ in range(25)]
        self.attacker_ips = [self.new_id('ip') for _ in range(40)]

    # ---------------------------------------------------------------- helpers
    def new_id(self, prefix: str) -> str:
        self.seq += 1
        return f'{prefix}{self.seq}'

    def add(self, kind, open_day, avg, rate, owl=False) -> int:
        rng = self.rng
        self.kind.append(kind)
        self.open_day.append(float(open_day))
        self.avg.append(float(avg))
        self.rate.append(float(rate))
        self.owl.append(bool(owl))
        self.devices.append([self.new_id('d')])
        self.ips.append([self.new_id('ip')])
        self.phone.append(self.new_id('ph'))
        self.email.append(self.new_id('em'))
        self.fav.append([MERCHANT0 + int(x) for x in rng.choice(self.merchants, 3, replace=False)])
        self.payees.append([])
        return len(self.kind) - 1

    def at(self, day: float, hour: int) -> float:
        return math.floor(day) + (hour + self.rng.random()) / 24.0

    def hour(self, owl: bool) -> int:
        return int(self.rng.choice(24, p=OWL_PROFILE if owl else DAY_PROFILE))

    def usual_device_ip(self, c):
        rng = self.rng
        device = self.devices[c][int(rng.integers(len(self.devices[c])))] if rng.random() >= 0.04 else self.new_id('d')
        r = rng.random()
        if r < 0.8:
            ip = self.ips[c][int(rng.integers(len(self.ips[c])))]
        elif r < 0.88:
            ip = self.cgnat[int(rng.integers(len(self.cgnat)))]
        else:
            ip = self.new_id('ip')
        return device, ip

    def emit(self, t, payer, payee, amount, rail, device, ip, label=0, pattern='normal'):
        self.events.append((float(t), int(payer), int(payee), max(100, int(amount)), rail, device, ip, label, pattern))

    def mark(self, c, t):
        self.actors[c] = min(self.actors.get(c, math.inf), t)

    def new_drop(self, t) -> int:
        return self.add('drop', t - self.rng.uniform(1, 30), 5_000, 0.1)

    # ---------------------------------------------------------------- ordinary traffic
    def ordinary(self, c, start, end, ramp=False):
        rng = self.rng
        start = max(start, self.open_day[c], 0.0)
        if end <= start:
            return
        for _ in range(rng.poisson(self.rate[c] * (end - start))):
            day = rng.uniform(start, end)
            t = self.at(day, self.hour(self.owl[c]))
            r = rng.random()
            rail = 'card' if r < 0.3 else 'pix' if r < 0.8 else 'book' if r < 0.92 else 'ted'
            if rail == 'card':
                payee = int(rng.choice(self.fav[c])) if rng.random() < 0.8 else MERCHANT0 + int(rng.integers(self.merchants))
                amount = rng.lognormal(math.log(self.avg[c] * 0.5), 0.7)
            else:
                payee = int(rng.choice(self.payees[c])) if rng.random() < 0.85 and self.payees[c] else int(rng.integers(self.n0))
                amount = rng.lognormal(math.log(self.avg[c]), 0.8)
            if payee == c:
                continue
            if rng.random() < 0.015:   # a legitimate large purchase or rent, in the daytime
                amount *= rng.uniform(3, 15)
                t = self.at(day, int(rng.integers(9, 19)))
            device, ip = self.usual_device_ip(c)
            if rng.random() < 0.004:   # a new phone on a trip: new device and IP, a larger payment to someone new
                device, ip = self.new_id('d'), self.new_id('ip')
                payee, amount = int(rng.integers(self.n0)), amount * rng.uniform(2, 6)
            if ramp:                   # bust-out build-up: spending grows week by week
                amount *= 0.4 + 1.2 * max(0.0, t) / DAYS
            if t < start or t >= end or payee == c:
                continue
            self.emit(t, c, payee, amount, rail, device, ip)

    def sellers(self):
        """Small sellers: many distinct payers in, suppliers paid out (legitimate fan-in and fan-out)."""
        rng = self.rng
        for s in rng.choice(self.n0, int(self.n0 * 0.06), replace=False):
            s = int(s)
            self.kind[s] = 'seller'
            per_day = rng.uniform(2, 8)
            for _ in range(rng.poisson(per_day * DAYS)):
                b = int(rng.integers(self.n0))
                t = self.at(rng.uniform(0, DAYS), self.hour(False))
                if b != s and t >= max(self.open_day[b], self.open_day[s]):
                    self.emit(t, b, s, rng.lognormal(math.log(6_000), 0.7), 'pix', *self.usual_device_ip(b))
            suppliers = [int(x) for x in rng.choice(self.n0, 3, replace=False) if x != s]
            self.payees[s] = sorted(set(self.payees[s]) | set(suppliers))
            for _ in range(rng.poisson(1.2 * DAYS)):
                t = self.at(rng.uniform(0, DAYS), int(rng.integers(8, 20)))
                if t >= self.open_day[s] and suppliers:
                    self.emit(t, s, rng.choice(suppliers), per_day * 6_000 * rng.uniform(0.5, 2.0), 'pix', *self.usual_device_ip(s))

    # ---------------------------------------------------------------- planted fraud
    def account_takeovers(self, mules):
        """New device and IP, large unusual amounts to new payees, mostly at night."""
        rng = self.rng
        for _ in range(max(30, int(self.n0 * 0.045))):
            v = int(rng.choice(self.established))
            if self.kind[v] != 'normal':
                continue
            t0 = rng.uniform(5, DAYS - 0.2)
            if t0 - self.open_day[v] < 90:
                continue
            t = self.at(t0, int(rng.integers(0, 6)) if rng.random() < 0.7 else int(rng.integers(24)))
            if rng.random() < 0.2:   # session hijack: the victim's own device and IP
                device, ip = self.devices[v][0], self.ips[v][0]
                ratio = (2, 8)
            else:
                device = self.attacker_devices[int(rng.integers(len(self.attacker_devices)))]
                ip = self.attacker_ips[int(rng.integers(len(self.attacker_ips)))]
                ratio = (5, 40) if rng.random() < 0.85 else (2, 4)
            for _k in range(int(rng.integers(1, 5))):
                payee = int(rng.choice(mules)) if rng.random() < 0.5 else self.new_drop(t)
                if self.open_day[payee] > t:
                    payee = self.new_drop(t)
                r = rng.random()
                rail = 'pix' if r < 0.7 else 'ted' if r < 0.85 else 'book'
                self.emit(t, v, payee, self.avg[v] * rng.uniform(*ratio), rail, device, ip, 1, 'account_takeover')
                self.mark(payee, t)
                t += rng.uniform(2, 40) / 1440

    def forward(self, m, total, t, herded, level, mules):
        rng = self.rng
        parts = int(rng.integers(1, 4))
        share = rng.uniform(0.7, 0.95)
        device = self.herder_devices[int(rng.integers(len(self.herder_devices)))] if herded else self.devices[m][0]
        for _ in range(parts):
            nxt = int(rng.choice(mules)) if level == 1 and rng.random() < 0.5 else -1
            if nxt < 0 or nxt == m or self.open_day[nxt] > t:
                nxt = self.new_drop(t)
            amount = int(total * share / parts)
            self.emit(t, m, nxt, amount, 'pix', device, self.ips[m][0], 1, 'mule_fan_out')
            self.mark(m, t)
            self.mark(nxt, t)
            if self.kind[nxt] == 'mule':
                self.forward(nxt, amount, t + rng.uniform(0.03, 0.3), herded, 2, mules)
            t += rng.uniform(1, 30) / 1440

    def mule_chains(self, mules):
        """Fan-in from 3 to 8 unrelated payers within 24 h, then fan-out of 70-95 % of it."""
        rng = self.rng
        for _ in range(max(10, self.n0 // 65)):
            m = int(rng.choice(mules))
            lo = max(5.0, self.open_day[m] + 1)
            if lo >= DAYS - 1.2:
                continue
            t0 = rng.uniform(lo, DAYS - 1.2)
            total, last = 0, t0
            for _ in range(int(rng.integers(3, 9))):
                v = int(rng.choice(self.established))
                t = t0 + rng.uniform(0, 0.8)
                if self.open_day[v] > t:
                    continue
                amount = int(self.avg[v] * (rng.uniform(0.5, 6) if rng.random() < 0.7 else rng.uniform(0.3, 1.5)))
                self.emit(t, v, m, amount, 'pix', *self.usual_device_ip(v), 1, 'mule_fan_in')
                total += amount
                last = max(last, t)
            self.mark(m, t0)
            self.forward(m, total, last + rng.uniform(0.05, 0.5), rng.random() < 0.3, 1, mules)

    def bust_out(self, c, t0, pattern):
        """Maxing out: large card payments and transfers out over a day or two."""
        rng = self.rng
        for _ in range(int(rng.integers(2, 7))):
            t = self.at(t0 + rng.uniform(0, 1.5), self.hour(rng.random() < 0.5))
            ip = self.ips[c][int(rng.integers(len(self.ips[c])))]
            amount = self.avg[c] * rng.uniform(2, 15)
            if rng.random() < 0.55:
                self.emit(t, c, MERCHANT0 + int(rng.integers(self.merchants)), amount, 'card', self.devices[c][0], ip, 1, pattern)
            else:
                self.emit(t, c, self.new_drop(t), amount, 'pix', self.devices[c][0], ip, 1, pattern)
            self.mark(c, t)

    def rings(self):
        """Customers sharing devices, IPs and phones: they behave, then bust out together."""
        rng = self.rng
        for _ in range(max(6, self.n0 // 160)):
            pool_dev = [self.new_id('d') for _ in range(2)]
            pool_ip = [self.new_id('ip') for _ in range(2)]
            pool_ph = [self.new_id('ph') for _ in range(2)]
            members = []
            for _ in range(int(rng.integers(3, 9))):
                c = self.add('ring', -rng.uniform(20, 300), rng.lognormal(math.log(10_000), 0.5), rng.uniform(0.5, 1.5))
                if rng.random() < 0.5:
                    self.devices[c] = [pool_dev[int(rng.integers(2))]]
                elif rng.random() < 0.6:
                    self.devices[c].append(pool_dev[int(rng.integers(2))])
                self.ips[c].append(pool_ip[int(rng.integers(2))])
                if rng.random() < 0.7:
                    self.phone[c] = pool_ph[int(rng.integers(2))]
                members.append(c)
            for c in members:
                self.payees[c] = [x for x in members if x != c] + [int(x) for x in rng.choice(self.n0, 2, replace=False)]
            bust = rng.uniform(8, DAYS - 3)
            for c in members:
                self.ordinary(c, 0.0, bust)
                self.bust_out(c, bust + rng.uniform(0, 2), 'bust_out_ring')

    def lone_bust_outs(self):
        rng = self.rng
        for _ in range(max(8, self.n0 // 100)):
            c = self.add('bustout', -rng.uniform(40, 400), rng.lognormal(math.log(10_000), 0.5), rng.uniform(0.5, 1.5))
            self.payees[c] = [int(x) for x in rng.choice(self.n0, 4, replace=False)]
            bust = rng.uniform(10, DAYS - 3)
            self.ordinary(c, 0.0, bust, ramp=True)
            self.bust_out(c, bust, 'bust_out')

    def run(self):
        rng = self.rng
        self.sellers()
        mules = []
        for _ in range(max(20, self.n0 // 35)):
            young = rng.random() < 0.6
            mules.append(self.add('mule', rng.uniform(-80, 20) if young else -rng.uniform(100, 2000),
                                  rng.lognormal(math.log(8_000), 0.6), rng.uniform(0.1, 0.4)))
        for m in mules:
            self.payees[m] = [int(x) for x in rng.choice(self.n0, 3, replace=False)]
        self.account_takeovers(mules)
        self.mule_chains(mules)
        self.rings()
        self.lone_bust_outs()
        for c in range(len(self.kind)):
            if self.kind[c] in ('normal', 'seller', 'mule', 'drop'):
                self.ordinary(c, 0.0, DAYS)
        self.events.sort(key=lambda e: (e[0], e[1], e[2]))
        return self


# -------------------------------------------------------------------- replay
def log1p(x: float) -> float:
    return math.log1p(x)


class Replay:
    """Keeps the Redis counters and the cached graph features while the events play in order."""

    def __init__(self, sim: Simulation, seed: int):
        self.sim = sim
        self.rng = np.random.default_rng(seed + 1)
        n = len(sim.kind)
        self.out24 = [collections.deque() for _ in range(n)]       # (t, amount)
        self.out30 = [collections.deque() for _ in range(n)]
        self.sum30 = [0] * n
        self.in24 = collections.defaultdict(collections.deque)      # account -> (t, amount, payer)
        self.known_payees = [set(sim.payees[c]) | set(sim.fav[c]) for c in range(n)]
        self.known_devices = [set(sim.devices[c]) for c in range(n)]
        self.known_ips = [set(sim.ips[c]) for c in range(n)]
        # Identifiers seen per customer (the graph's HAS edges) and payment edges between customers.
        self.ids = [set(sim.devices[c]) | set(sim.ips[c]) | {sim.phone[c], sim.email[c]} for c in range(n)]
        self.holders = collections.defaultdict(set)
        for c in range(n):
            for i in self.ids[c]:
                self.holders[i].add(c)
        self.paid = collections.defaultdict(set)
        self.confirmed_at = {c: t + CONFIRM_LAG_DAYS for c, t in sorted(sim.actors.items()) if self.rng.random() < CONFIRM_RATE}
        self.snapshot_day = None
        self.neighbours, self.degree, self.ring, self.dist = {}, {}, {}, {}

    def snapshot(self, day: int):
        """The graph scan at the start of `day`: shared identifiers, rings, distance to confirmed fraud."""
        n = len(self.sim.kind)
        valid = {i: h for i, h in self.holders.items() if 2 <= len(h) <= PUBLIC_HOLDERS}
        nb = collections.defaultdict(set)
        parent = list(range(n))

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for h in valid.values():
            hs = sorted(h)
            for c in hs:
                nb[c].update(hs)
            for c in hs[1:]:
                a, b = find(hs[0]), find(c)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        for c in nb:
            nb[c].discard(c)
        size = collections.Counter(find(c) for c in range(n))
        self.neighbours = nb
        self.degree = {c: min(DEGREE_CAP, len(s)) for c, s in nb.items()}
        self.ring = {c: min(DEGREE_CAP, size[find(c)]) for c in range(n)}
        # Multi-source BFS from the confirmed fraudsters, at most 5 hops.
        dist = {c: 0 for c, at in self.confirmed_at.items() if at < day}
        frontier = list(dist)
        for hop in range(1, DIST_CAP):
            nxt = []
            for c in frontier:
                for x in nb.get(c, set()) | self.paid.get(c, set()):
                    if x not in dist:
                        dist[x] = hop
                        nxt.append(x)
            frontier = nxt
        self.dist = dist
        self.snapshot_day = day

    def mule_score(self, a, t) -> float:
        if a >= MERCHANT0:
            return 0.0
        inbound = self.trim(self.in24[a], t - 1.0)
        total_in = sum(x[1] for x in inbound)
        if total_in <= 0:
            return 0.0
        linked = self.neighbours.get(a, set())
        unrelated = len({x[2] for x in inbound if x[2] not in linked and x[2] != a})
        total_out = sum(x[1] for x in self.trim(self.out24[a], t - 1.0))
        return min(1.0, unrelated / 5.0) * (0.5 + 0.5 * min(1.0, total_out / total_in))

    @staticmethod
    def trim(dq, since):
        while dq and dq[0][0] <= since:
            dq.popleft()
        return dq

    def features(self, e):
        t, p, q, amount, rail, device, ip = e[:7]
        if self.snapshot_day != math.floor(t):
            self.snapshot(math.floor(t))
        out = self.trim(self.out24[p], t - 1.0)
        out_1h = [x[1] for x in out if x[0] > t - 1 / 24]
        inb = self.trim(self.in24[q], t - 1.0)
        in_1h = [x[1] for x in inb if x[0] > t - 1 / 24]
        o30 = self.out30[p]
        while o30 and o30[0][0] <= t - 30:
            self.sum30[p] -= o30.popleft()[1]
        ratio = min(RATIO_CAP, amount / (self.sum30[p] / len(o30))) if o30 else -1.0
        merchant = q >= MERCHANT0
        row = {
            'payer_out_count_1h': len(out_1h),
            'payer_out_count_24h': len(out),
            'payer_out_sum_1h_log': log1p(sum(out_1h)),
            'payer_out_sum_24h_log': log1p(sum(x[1] for x in out)),
            'payee_in_count_1h': len(in_1h),
            'payee_in_count_24h': len(inb),
            'payee_in_sum_1h_log': log1p(sum(in_1h)),
            'payee_in_sum_24h_log': log1p(sum(x[1] for x in inb)),
            'new_payee': 0 if q in self.known_payees[p] else 1,
            'device_change': 0 if device in self.known_devices[p] else 1,
            'ip_change': 0 if ip in self.known_ips[p] else 1,
            'amount_log': log1p(amount),
            'amount_to_avg_30d': ratio,
            'account_age_days': min(AGE_CAP, max(0.0, t - self.sim.open_day[p])),
            'hour_local': math.floor((t - math.floor(t)) * 24),
            'rail': RAIL[rail],
            'shared_identifier_degree': self.degree.get(p, 0),
            'ring_size': self.ring.get(p, 1),
            'payer_fraud_distance': self.dist.get(p, DIST_CAP),
            'payee_fraud_distance': DIST_CAP if merchant else self.dist.get(q, DIST_CAP),
            'payer_mule_score': self.mule_score(p, t),
            'payee_mule_score': self.mule_score(q, t),
        }
        return [row[name] for name in FEATURES]

    def record(self, e):
        t, p, q, amount, rail, device, ip = e[:7]
        self.out24[p].append((t, amount))
        self.out30[p].append((t, amount))
        self.sum30[p] += amount
        self.in24[q].append((t, amount, p))
        self.known_payees[p].add(q)
        self.known_devices[p].add(device)
        self.known_ips[p].add(ip)
        for i in (device, ip):
            if i not in self.ids[p]:
                self.ids[p].add(i)
                self.holders[i].add(p)
        if q < MERCHANT0:
            self.paid[p].add(q)
            self.paid[q].add(p)


def fraud_table(seed: int, customers: int):
    sim = Simulation(seed, customers).run()
    replay = Replay(sim, seed)
    rows, labels, patterns, days = [], [], [], []
    for e in sim.events:
        if e[0] >= EMIT_FROM:
            rows.append(replay.features(e))
            labels.append(e[7])
            patterns.append(e[8])
            days.append(e[0])
        replay.record(e)
    return np.asarray(rows, dtype=np.float32), np.asarray(labels, dtype=np.int8), patterns, np.asarray(days)


# -------------------------------------------------------------------- credit
def credit_table(seed: int, n: int = 20_000):
    """Applicants drawn from a latent creditworthiness z; default odds fall with z.

    The features are the ones the platform can compute from its own ledger at run time (see
    credit-scorecard.json); card_utilisation is -1 for a customer without a card."""
    rng = np.random.default_rng(seed + 100)
    z = rng.normal(0, 1, n)
    sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    age = np.minimum(240, 30 * np.exp(0.35 * z + rng.normal(0, 0.9, n)))
    income = np.exp(math.log(300_000) + 0.35 * z + rng.normal(0, 0.6, n))
    months = rng.binomial(6, sig(1.4 + 1.1 * z + rng.normal(0, 0.5, n)))
    balance = income * np.exp(-1 + 0.7 * z + rng.normal(0, 0.9, n))
    negative = np.minimum(90, rng.poisson(np.exp(0.8 - 1.1 * z + rng.normal(0, 0.6, n))))
    ratio = np.clip(np.exp(-0.12 * z + rng.normal(0, 0.15, n)), 0, 5)
    failed = np.minimum(20, rng.poisson(np.exp(-1.2 - 0.8 * z + rng.normal(0, 0.5, n))))
    util = np.clip(sig(-0.3 - 0.9 * z + rng.normal(0, 0.8, n)) * 1.1, 0, 2)
    util[rng.random(n) < 0.3] = -1
    X = np.column_stack([age, np.log1p(income), months, np.log1p(balance), negative, ratio, failed, util]).astype(np.float32)
    y = (rng.random(n) < sig(-3.0 - 1.3 * z + rng.normal(0, 0.7, n))).astype(np.int8)
    return X, y


def write_csv(path, header, X, extra_cols):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(','.join(header) + '\n')
        for i in range(len(X)):
            vals = ['%.9g' % v for v in X[i]] + [str(col[i]) for col in extra_cols]
            f.write(','.join(vals) + '\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--customers', type=int, default=4000)
    args = ap.parse_args()
    os.makedirs(DATA, exist_ok=True)
    X, y, patterns, days = fraud_table(args.seed, args.customers)
    write_csv(os.path.join(DATA, 'fraud.csv'), FEATURES + ['label', 'pattern', 'day'], X, [y, patterns, ['%.6f' % d for d in days]])
    counts = collections.Counter(p for p, l in zip(patterns, y) if l)
    print(f'fraud.csv: {len(y)} movements, {int(y.sum())} fraud ({100 * y.mean():.2f} %): {dict(sorted(counts.items()))}')
    Xc, yc = credit_table(args.seed)
    write_csv(os.path.join(DATA, 'credit.csv'), CREDIT_FEATURES + ['default'], Xc, [yc])
    print(f'credit.csv: {len(yc)} applicants, {int(yc.sum())} defaults ({100 * yc.mean():.2f} %)')


if __name__ == '__main__':
    main()
