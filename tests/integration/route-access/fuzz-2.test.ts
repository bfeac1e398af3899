import { describeFuzz } from './sweep.ts';

describeFuzz(1, 3);
