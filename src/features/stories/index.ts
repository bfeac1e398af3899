import type { Feature } from '../../lib/feature.ts';

export const storiesFeature: Feature = {
  name: 'stories',
  async routes() {},
};
