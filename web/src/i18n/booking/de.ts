import type { CatalogueOf } from '@booking/shared';
import type { en } from './en';

export const de: CatalogueOf<typeof en> = {};
