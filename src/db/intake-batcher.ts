import { serverTimeoutMs, type Deadline } from '../deadline.js';
import {
  ingestBatchStatement,
  ingestStatement,
  readIntakeAnswer,
  readIntakeAnswers,
  type IntakeAnswer,
  type IntakeRequest,
} from './intake-statements.js';
import type { RunPipelined } from './pipeline.js';

/** Records one notification, as `ingest_notification` does; resolves once it is committed. */
export type SendIntake = (request: IntakeRequest, deadline?: Deadline) => Promise<IntakeAnswer>;

/*
 * Group commit for small notifications. Nearly half of what a 1-alert
 * notification costs the database is per transaction, not per row: the commit
 * and its WAL flush, the NOTIFY queue's lock held across that flush (so
 * notifying commits take turns), the statement's start-up. While IN_FLIGHT
 * transactions of small notifications are running, the ones that arrive wait
 * and then go together, as one transaction (`ingest_notifications`, migration
 * 0016; redefined since, last in 0019). Nothing waits on a timer: a
 * notification that finds a free slot is sent at once, alone, so one at a
 * time costs what it did; batches form only when notifications arrive faster
 * than the database commits them. Measured in test/bench/RESULTS.md.
 */
const IN_FLIGHT = 2;
// A larger notification goes alone, at once: in a batch it would hold the other groups' locks through its own
// writes. So a batch is at most 32 × 100 alerts, about a tenth of a second of the database's work.
const SMALL_AT_MOST_ALERTS = 100;
const BATCH_AT_MOST = 32;

interface Waiting {
  request: IntakeRequest;
  deadline: Deadline | undefined;
  resolve(answer: IntakeAnswer): void;
  reject(error: unknown): void;
}

/** What the batcher did, for metrics. */
export interface IntakeBatchObserver {
  /** A transaction of `notifications` small notifications was sent (1: alone). */
  sent(notifications: number): void;
  /** A batch's transaction failed; its notifications are sent again, each alone. */
  retried(): void;
}

export function intakeInBatches(pipelined: RunPipelined, observer?: IntakeBatchObserver): SendIntake {
  const queue: Waiting[] = [];
  let inFlight = 0;

  function pump(): void {
    while (inFlight < IN_FLIGHT && queue.length > 0) {
      const batch = queue.splice(0, BATCH_AT_MOST).filter((waiting) => {
        // Already answered by its deadline (the caller raced it): its sender retries, so it is not sent.
        if (waiting.deadline?.signal.aborted) waiting.reject(waiting.deadline.signal.reason);
        return !waiting.deadline?.signal.aborted;
      });
      if (batch.length === 0) continue;
      inFlight += 1;
      observer?.sent(batch.length);
      void sendBatch(pipelined, batch, observer).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return (request, deadline) => {
    if (request.alerts.length > SMALL_AT_MOST_ALERTS) return sendAlone(pipelined, request, deadline);
    return new Promise<IntakeAnswer>((resolve, reject) => {
      queue.push({ request, deadline, resolve, reject });
      pump();
    });
  };
}

async function sendBatch(pipelined: RunPipelined, batch: Waiting[], observer?: IntakeBatchObserver): Promise<void> {
  if (batch.length > 1) {
    try {
      const answers = await pipelined(
        async (pipeline) =>
          readIntakeAnswers(
            await pipeline.alone(ingestBatchStatement(batch.map((w) => boundedBy(w.request, w.deadline)))),
          ),
        latestOf(batch.map((w) => w.deadline)),
      );
      batch.forEach((waiting, i) => waiting.resolve(answers[i]!));
      return;
    } catch {
      // One member's failure fails the whole transaction, and a lost connection leaves it unknown whether it
      // committed: each goes again alone, and answers for itself (a member already committed is a duplicate then).
      observer?.retried();
    }
  }
  await Promise.all(
    batch.map((waiting) =>
      sendAlone(pipelined, waiting.request, waiting.deadline).then(waiting.resolve, waiting.reject),
    ),
  );
}

function sendAlone(pipelined: RunPipelined, request: IntakeRequest, deadline?: Deadline): Promise<IntakeAnswer> {
  return pipelined(
    async (pipeline) => readIntakeAnswer(await pipeline.alone(ingestStatement(boundedBy(request, deadline)))),
    deadline,
  );
}

/**
 * Its lock waits (the group's lock behind another delivery, a table locked by hand) end with the deadline on the
 * server too, as it stands when the statement is sent, and drop what it holds; it waits on nothing else.
 */
function boundedBy(request: IntakeRequest, deadline: Deadline | undefined): IntakeRequest {
  return deadline ? { ...request, lock_timeout_ms: serverTimeoutMs(deadline) } : request;
}

/** A batch runs until its last member's deadline; each member is answered by its own (webhook.ts races it). */
function latestOf(deadlines: (Deadline | undefined)[]): Deadline | undefined {
  let latest: Deadline | undefined;
  for (const deadline of deadlines) {
    if (!deadline) return undefined;
    if (!latest || deadline.at > latest.at) latest = deadline;
  }
  return latest;
}
