import type { SeedContext } from '#src/platform/feature.ts';
import { seedDemoCommitments } from './commitments-demo.ts';
import { seedDemoSaidDid } from './said-did-demo.ts';
import { seedDemoStandards } from './standards-demo.ts';
import { seedDemoAssessing } from './assessing-demo.ts';

// Demo content for holding us to account, in order: the demo story's promise as commitments, then
// "you said, we did" entries (some advance those commitments), then the assessment rounds (an
// action became a commitment), then contributors' views on the rounds.
export async function seedDemoAccountability(ctx: SeedContext): Promise<void> {
  await seedDemoCommitments(ctx);
  await seedDemoSaidDid(ctx);
  await seedDemoStandards(ctx);
  await seedDemoAssessing(ctx);
}
