// What a family's theory gives beside the simulation: plain data, shared by
// the families (which compute it) and the summary (which prints it).

/** Closed-form mean and median of one metric, where the theory has them. */
export interface TheoryValue {
  mean: number | null;
  median: number | null;
  /** Bounds on the mean, where the theory gives bounds rather than a value. */
  lower?: number | null;
  upper?: number | null;
}

export type TheoryRow = Record<string, TheoryValue>;

/** The theory of one run: one row per recorded generation, plus run-wide facts. */
export interface FamilyTheory {
  rows: TheoryRow[];
  /** Theory for the per-replicate values (ReplicateRecord.finals). */
  finals?: TheoryRow;
  /** Limits that hold for every generation. */
  bounds: Record<string, number>;
  /** Which closed forms are exact, which approximate, in words. */
  notes: string[];
}
