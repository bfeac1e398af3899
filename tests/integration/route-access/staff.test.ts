import { describeWalks } from './sweep.ts';

describeWalks(['involvement', 'finance', 'admin']);
