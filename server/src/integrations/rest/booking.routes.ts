/**
 * (v3) The HTTP booking API (docs/protocol.md "HTTP booking API and API keys"): every route runs
 * the same command as its Socket.IO twin, with the same payload schema, so the same input answers
 * the same code. People go through `userBookings` (access and verification guards, as on `/`);
 * staff and API keys through the staff commands, as `/admin` books on behalf of someone.
 */
import { Router } from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  AvailabilityGet,
  BookingApprove,
  BookingCancel,
  BookingCheckIn,
  BookingConfirm,
  BookingCreate,
  BookingDecline,
  BookingModify,
  ErrorCode,
  Id,
  Instant,
} from '@booking/shared';
import type { Booking, BookingStatus } from '@booking/shared';
import type { AccessGate } from '../../access/resource-access';
import type { UserStore } from '../../auth/user.store';
import type { AvailabilityService } from '../../availability/availability.service';
import type { BookingHistoryStore } from '../../booking/booking-history.store';
import type { BookingCommands } from '../../booking/booking.effects';
import type { BookingModel } from '../../booking/booking.model';
import type { BookingStore } from '../../booking/booking.store';
import { toWireBooking } from '../../booking/booking.store';
import type { Clock } from '../../infra/clock';
import type { Principal } from '../../infra/contract';
import { AppError } from '../../infra/errors';
import { parseOrThrow, principalOf } from '../../infra/http-kit';
import { requireCaller, requireScope } from '../api-access';
import type { ApiAccessDeps } from '../api-access';
import { bookingPage } from './booking-page';

const HISTORY_LIMIT = 1000;
export const PAGE_LIMIT_DEFAULT = 100;
export const PAGE_LIMIT_MAX = 1000;

const STATUSES = [
  'active',
  'cancelled',
  'completed',
  'held',
  'expired',
  'pending',
  'declined',
] as const satisfies readonly BookingStatus[];

/** `GET /api/bookings` query. */
export const BookingListQuery = z
  .object({
    from: Instant,
    to: Instant,
    resourceId: Id.optional(),
    status: z.enum(STATUSES).optional(),
    cursor: z.string().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
  })
  .refine((q) => q.from < q.to, { message: 'from must be before to', path: ['to'] });

/** `POST /api/bookings` body: `booking:create`'s fields (the key from the header) and, for staff and keys, `userId`. */
export const RestBookingCreate = z.object({
  resourceId: Id,
  start: z.string(),
  end: z.string(),
  quantity: z.number().int().optional(),
  title: z.string().optional(),
  requestApproval: z.boolean().optional(),
  userId: Id.optional(),
});
/** `PATCH /api/bookings/:id` body: `booking:modify`'s fields. */
export const RestBookingModify = z.object({
  start: z.string(),
  end: z.string(),
  quantity: z.number().int().optional(),
  /** Omitted keeps the title; null or '' clears it. */
  title: z.string().nullable().optional(),
  requestApproval: z.boolean().optional(),
});
export const RestBookingDecline = z.object({ reason: z.string().optional() });
const UserIdField = z.object({ userId: Id.optional() });
const IdempotencyHeader = z.string().min(1).max(128).optional();

export interface BookingRestDeps {
  access: ApiAccessDeps;
  /** `/`'s commands (verification and access guards): what a person's request runs. */
  userBookings: BookingCommands;
  /** The staff commands: what a staff member's or an API key's request runs. */
  bookings: BookingCommands;
  availability: Pick<AvailabilityService, 'get'>;
  gate: Pick<AccessGate, 'require'>;
  bookingModel: BookingModel;
  bookingStore: Pick<BookingStore, 'findById'>;
  users: Pick<UserStore, 'names'>;
  history: Pick<BookingHistoryStore, 'of'>;
  /** True for the first request answered with this booking (201); repeats answer 200. */
  firstAnswer: (bookingId: string) => Promise<boolean>;
  clock: Clock;
}

const isStaff = (p: Principal) => p.role === 'staff';
const paramId = (req: Request) => String(req.params.id ?? '');

export function bookingRestRouter(deps: BookingRestDeps): Router {
  const router = Router();
  const caller = requireCaller(deps.access);
  const read = [caller, requireScope('bookings:read')];
  const write = [caller, requireScope('bookings:write')];
  const commandsOf = (p: Principal) => (isStaff(p) ? deps.bookings : deps.userBookings);
  /** Staff and keys see whose booking it is. */
  const named = async <B extends Booking>(p: Principal, list: B[]): Promise<(B & { userName?: string })[]> => {
    if (!isStaff(p)) return list;
    const names = await deps.users.names([...new Set(list.map((b) => b.userId))]);
    return list.map((b) => ({ ...b, ...(names.has(b.userId) ? { userName: names.get(b.userId) } : {}) }));
  };
  const one = async (res: Response, p: Principal, booking: Booking, status = 200) => {
    const [withName] = await named(p, [booking]);
    res.status(status).json({ booking: withName });
  };
  /** A person's own booking, any for staff; NOT_FOUND otherwise (a person learns nothing of others' ids). */
  const visible = async (p: Principal, id: string) => {
    const doc = await deps.bookingStore.findById(id);
    if (!doc || (!isStaff(p) && doc.userId.toHexString() !== p.id))
      throw new AppError(ErrorCode.NOT_FOUND, 'no such booking');
    return doc;
  };

  router.get('/api/resources/:id/availability', ...read, async (req, res) => {
    const d = parseOrThrow(AvailabilityGet, { resourceId: paramId(req), from: req.query.from, to: req.query.to });
    // A resource the person may not view answers as an unknown one (as `availability:get`).
    await deps.gate.require(principalOf(res), d.resourceId, 'view');
    res.json(await deps.availability.get(d));
  });
  router.get('/api/bookings', ...read, async (req, res) => {
    const p = principalOf(res);
    const q = parseOrThrow(BookingListQuery, req.query);
    const page = await bookingPage(
      deps.bookingModel,
      { ...q, ...(isStaff(p) ? {} : { userId: p.id }) },
      deps.clock.now(),
    );
    res.json({ bookings: await named(p, page.bookings), nextCursor: page.nextCursor });
  });
  router.get('/api/bookings/:id', ...read, async (req, res) => {
    const p = principalOf(res);
    await one(res, p, toWireBooking(await visible(p, paramId(req)), deps.clock.now()));
  });
  router.get('/api/bookings/:id/history', ...read, async (req, res) => {
    const p = principalOf(res);
    await visible(p, paramId(req));
    res.json({ events: await deps.history.of(paramId(req), HISTORY_LIMIT) });
  });

  router.post('/api/bookings', ...write, async (req, res) => {
    const p = principalOf(res);
    const idempotencyKey = parseOrThrow(IdempotencyHeader, req.get('Idempotency-Key'));
    const body: unknown = req.body ?? {};
    const { userId } = parseOrThrow(UserIdField, body);
    const d = parseOrThrow(BookingCreate, { ...(typeof body === 'object' ? body : {}), idempotencyKey });
    if (p.apiKey && !userId) {
      throw new AppError(ErrorCode.VALIDATION_ERROR, 'an API key books for someone: userId is required', {
        details: [{ path: 'userId', message: 'required when the caller is an API key' }],
      });
    }
    if (!isStaff(p) && userId && userId !== p.id)
      throw new AppError(ErrorCode.FORBIDDEN, 'you may only book for yourself');
    const forUserId = isStaff(p) && userId ? userId : undefined;
    if (forUserId && !(await deps.users.names([forUserId])).has(forUserId))
      throw new AppError(ErrorCode.NOT_FOUND, 'no such user');
    const booking = await commandsOf(p).create({
      principal: p,
      resourceId: d.resourceId,
      start: d.start,
      end: d.end,
      ...(d.quantity ? { quantity: d.quantity } : {}),
      ...(d.title ? { title: d.title } : {}),
      ...(d.idempotencyKey ? { idempotencyKey: d.idempotencyKey } : {}),
      ...(d.requestApproval ? { requestApproval: true } : {}),
      ...(forUserId ? { forUserId } : {}),
    });
    const first = d.idempotencyKey ? await deps.firstAnswer(booking.id) : true;
    await one(res, p, booking, first ? 201 : 200);
  });
  router.patch('/api/bookings/:id', ...write, async (req, res) => {
    const p = principalOf(res);
    const body: unknown = req.body ?? {};
    const d = parseOrThrow(BookingModify, { ...(typeof body === 'object' ? body : {}), bookingId: paramId(req) });
    const booking = await commandsOf(p).modify({
      principal: p,
      bookingId: d.bookingId,
      start: d.start,
      end: d.end,
      ...(d.quantity ? { quantity: d.quantity } : {}),
      // Omitted keeps the title; null or '' (read as undefined by the schema) clears it.
      ...('title' in d ? { title: d.title ?? null } : {}),
      ...(d.requestApproval ? { requestApproval: true } : {}),
    });
    await one(res, p, booking);
  });
  registerActions(router, write, commandsOf, one);
  return router;
}

type Handler = ReturnType<typeof requireCaller>;

/** The one-booking actions: cancel, check-in, confirm, approve, decline (`POST /api/bookings/:id/<action>`). */
function registerActions(
  router: Router,
  write: Handler[],
  commandsOf: (p: Principal) => BookingCommands,
  one: (res: Response, p: Principal, booking: Booking) => Promise<void>,
): void {
  const action = (name: string, run: (p: Principal, req: Request, bookingId: string) => Promise<Booking>) => {
    router.post(`/api/bookings/:id/${name}`, ...write, async (req, res) => {
      const p = principalOf(res);
      await one(res, p, await run(p, req, paramId(req)));
    });
  };
  action('cancel', (p, _req, id) =>
    commandsOf(p).cancel({ principal: p, ...parseOrThrow(BookingCancel, { bookingId: id }) }),
  );
  action('check-in', (p, _req, id) =>
    commandsOf(p).checkIn({ principal: p, ...parseOrThrow(BookingCheckIn, { bookingId: id }) }),
  );
  action('confirm', (p, _req, id) =>
    commandsOf(p).confirm({ principal: p, ...parseOrThrow(BookingConfirm, { bookingId: id }) }),
  );
  action('approve', (p, _req, id) =>
    commandsOf(p).approve({ principal: p, ...parseOrThrow(BookingApprove, { bookingId: id }) }),
  );
  action('decline', (p, req, id) => {
    const body: unknown = req.body ?? {};
    const d = parseOrThrow(BookingDecline, { ...(typeof body === 'object' ? body : {}), bookingId: id });
    return commandsOf(p).decline({ principal: p, bookingId: d.bookingId, ...(d.reason ? { reason: d.reason } : {}) });
  });
}
