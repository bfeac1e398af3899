import type { Feature } from '../../lib/feature.ts';

export const commentsFeature: Feature = {
  name: 'comments',
  async routes() {},
};
