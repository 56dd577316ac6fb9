import { Types } from 'mongoose';

/** A 24-hex-digit id as an ObjectId, or null: any other string names nothing. */
export function objectIdOrNull(id: string): Types.ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null;
}
