// Is variant B's rate really different from A's, or is it noise? The two-proportion z-test:
// z = (p1 − p2) / √(p̂(1 − p̂)(1/n1 + 1/n2)) with the pooled p̂, two-sided p-value 2(1 − Φ(|z|)).

export interface ProportionTest {
  z: number;
  pValue: number;
  /** At the 5% level. */
  significant: boolean;
}

/** The standard normal CDF, by the Abramowitz–Stegun 7.1.26 approximation of erf (error < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Null when a side has no trials or the pooled rate is 0 or 1 (nothing to compare). */
export function twoProportionTest(successes1: number, trials1: number, successes2: number, trials2: number, alpha = 0.05): ProportionTest | null {
  if (trials1 <= 0 || trials2 <= 0) return null;
  const pooled = (successes1 + successes2) / (trials1 + trials2);
  if (pooled <= 0 || pooled >= 1) return null;
  const z = (successes1 / trials1 - successes2 / trials2) / Math.sqrt(pooled * (1 - pooled) * (1 / trials1 + 1 / trials2));
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { z, pValue, significant: pValue < alpha };
}
