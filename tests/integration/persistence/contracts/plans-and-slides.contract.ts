import { expect } from "vitest";
import { sessionWith, type ContractCase } from "./contract.ts";
import type { ExploreState } from "../../../../server/activities/explore/index.ts";

const body = (title: string) => ({ title, steps: [{ kind: "slide" as const, input: { title: "Hello", body: "Welcome" }, notes: "say hi" }] });

export const planAndSlideCases: ContractCase[] = [
  {
    name: "plans: an instructor's plans are created, listed newest first, updated and deleted",
    async run({ plans }, k) {
      const owner = `owner-${k.session}`;
      await plans.create({ id: `${k.session}-1`, ownerId: owner, body: body("First"), now: 1000 });
      await plans.create({ id: `${k.session}-2`, ownerId: owner, body: body("Second"), now: 2000 });
      await plans.create({ id: `${k.session}-3`, ownerId: "someone-else", body: body("Theirs"), now: 3000 });
      expect((await plans.list(owner)).map((p) => p.title)).toEqual(["Second", "First"]);
      const updated = await plans.update(`${k.session}-1`, body("First, edited"), 5000);
      expect(updated).toMatchObject({ title: "First, edited", steps: 1, builtIn: false, ownerId: owner, updatedAt: 5000 });
      expect((await plans.get(`${k.session}-1`))?.body).toEqual(body("First, edited"));
      expect(await plans.delete(`${k.session}-1`)).toBe(true);
      expect(await plans.get(`${k.session}-1`)).toBeNull();
      expect(await plans.update("nope", body("x"), 1)).toBeNull();
    },
  },
  {
    name: "slides: the latest slide of a session comes back, and all of them for review",
    async run(stores, k) {
      await sessionWith(stores, k, 0);
      const rows = stores.activities.slide.rows;
      await rows.save({ id: `${k.session}-a`, sessionId: k.session, title: "A", body: "one", shownAt: 1000 });
      await rows.save({ id: `${k.session}-b`, sessionId: k.session, title: "B", body: "two", shownAt: 2000 });
      expect((await rows.latest(k.session))?.title).toBe("B");
      expect((await rows.all(k.session)).map((s) => s.title)).toEqual(["A", "B"]);
    },
  },
  {
    name: "explore steps: the latest comes back whole after a restart, and all of them for review",
    async run(stores, k) {
      await sessionWith(stores, k, 0);
      const rows = stores.activities.explore.rows;
      const first = { id: `${k.session}-x`, sessionId: k.session, minutes: 5, prompt: "Blake Bourne was a", shownAt: 1000 };
      await rows.save(first);
      await rows.save({ ...first, id: `${k.session}-y`, minutes: 12, prompt: "", shownAt: 3000 });
      const store = stores.activities.explore;
      const session = { meta: { id: k.session } } as Parameters<typeof store.load>[0];
      expect(((await store.load(session)) as ExploreState).shown).toEqual({ id: `${k.session}-y`, minutes: 12, prompt: "", shownAt: 3000 });
      expect((await rows.all(k.session)).map((e) => e.minutes)).toEqual([5, 12]);
    },
  },
];
