export { createCardsSubgraph } from './create-cards-subgraph';
export { cardsConfigSchema, type CardsConfig } from './config';
