import { describeFuzz } from './sweep.ts';

describeFuzz(2, 3);
