import { describeFuzz } from './sweep.ts';

describeFuzz(0, 3);
