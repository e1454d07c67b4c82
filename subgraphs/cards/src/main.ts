import { runService } from '@baas/server';
import { cardsConfigSchema } from './config';
import { createCardsSubgraph } from './create-cards-subgraph';

await runService({ service: 'cards', schema: cardsConfigSchema, start: createCardsSubgraph });
