import type pg from 'pg';
import type { Donation, DonorProfile, RecordDonationBody, Role } from '@engage/contracts';
import { AppError } from '../../lib/errors';
import { hasRole } from '../../lib/guard';
import { idempotent } from '../../lib/idempotency';
import { withTransaction, type PgClient } from '../../lib/tx';
import * as repo from './donors.repository';

export interface DonorActor {
  id: number;
  role: Role;
}

export type DonorsService = ReturnType<typeof createDonorsService>;

function toDonation(r: repo.DonationRow): Donation {
  return {
    id: r.id,
    amountMinor: r.amount_minor,
    currency: r.currency,
    purpose: r.purpose,
    method: r.method,
    frequency: r.frequency,
    paymentReference: r.payment_reference,
    callId: r.call_id,
    donatedAt: r.donated_at.toISOString(),
  };
}

export function createDonorsService(deps: { pool: pg.Pool; now?: () => Date }) {
  const { pool } = deps;
  const now = deps.now ?? (() => new Date());

  /** Managers see every donor; an agent only those their work reaches (PRODUCT.md, permissions). */
  async function requireReach(c: PgClient, actor: DonorActor, donorId: number): Promise<repo.DonorRow> {
    const donor = await repo.findDonor(c, donorId);
    const allowed =
      donor !== null && (hasRole(actor, 'manager') || (await repo.agentReachesDonor(c, actor.id, donorId)));
    // The same answer whether the donor does not exist or is out of reach: ids reveal nothing.
    if (!donor || !allowed) {
      throw new AppError('not_found', 'No such donor in your campaigns. Check the reference, or ask your manager.');
    }
    return donor;
  }

  async function getProfile(actor: DonorActor, donorId: number): Promise<DonorProfile> {
    return withTransaction(pool, async (c) => {
      const d = await requireReach(c, actor, donorId);
      const [donations, sponsorships, payments, timeline] = [
        await repo.donationsOf(c, donorId, 100),
        await repo.sponsorshipsOf(c, donorId),
        await repo.paymentsOf(c, donorId, 50),
        await repo.timelineOf(c, donorId, 50),
      ];
      return {
        id: d.id,
        reference: d.reference,
        firstName: d.first_name,
        lastName: d.last_name,
        name: `${d.first_name} ${d.last_name}`.trim(),
        phone: d.phone,
        altPhone: d.alt_phone,
        email: d.email,
        address: [d.address_line1, d.address_line2, d.city, d.postcode].filter(Boolean).join(', '),
        country: d.country,
        timeZone: d.time_zone,
        language: d.language,
        doNotCall: d.do_not_call,
        deceased: d.deceased,
        notes: d.notes,
        donations: donations.map(toDonation),
        sponsorships: sponsorships.map((s) => ({
          id: s.id,
          subject: s.subject,
          amountMinor: s.amount_minor,
          currency: s.currency,
          frequency: s.frequency,
          status: s.status,
          startedOn: s.started_on,
        })),
        payments: payments.map((p) => ({
          id: p.id,
          amountMinor: p.amount_minor,
          currency: p.currency,
          method: p.method,
          status: p.status,
          failureReason: p.failure_reason,
          dueOn: p.due_on,
          resolution: p.resolution,
        })),
        timeline: timeline.map((t) => ({ kind: t.kind, at: t.at.toISOString(), title: t.title, detail: t.detail })),
      };
    });
  }

  /**
   * An agent records a gift from the donor they are talking to (their open call); a manager may
   * record one on any donor. With an Idempotency-Key, a retried request records nothing twice.
   */
  async function recordDonation(
    actor: DonorActor,
    donorId: number,
    body: RecordDonationBody,
    idempotencyKey: string | undefined,
  ): Promise<Donation> {
    return withTransaction(pool, async (c) =>
      idempotent(
        c,
        { userId: actor.id, operation: 'recordDonation', key: idempotencyKey, request: { donorId, body } },
        async () => {
          const donor = await requireReach(c, actor, donorId);
          let callId: number | null = body.callId ?? null;
          if (callId !== null) {
            const call = await repo.callOfDonor(c, callId);
            if (!call || call.donor_id !== donor.id || (call.agent_id !== actor.id && !hasRole(actor, 'manager'))) {
              throw new AppError(
                'validation_failed',
                'That call is not yours with this donor. Record the gift on the call you are on.',
                {
                  issues: [{ path: 'body.callId', message: 'Not your call with this donor' }],
                },
              );
            }
          } else if (!hasRole(actor, 'manager')) {
            const open = await repo.openCallOf(c, actor.id, donor.id);
            if (!open) {
              throw new AppError(
                'forbidden',
                'You can record a donation only while you are on a call with this donor. Start the call first.',
              );
            }
            callId = open.id;
          }
          const row = await repo.insertDonation(c, {
            donor_id: donor.id,
            amount_minor: body.amount,
            currency: body.currency,
            purpose: body.purpose,
            method: body.method,
            frequency: body.frequency,
            payment_reference: body.paymentReference ?? null,
            call_id: callId,
            recorded_by: actor.id,
            donated_at: now(),
          });
          return toDonation(row);
        },
      ),
    );
  }

  return { getProfile, recordDonation };
}
