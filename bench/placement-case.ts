// The placement benchmark: 200 units of 40 teams over 500 sites (a city of 10 × 10 km, 8 districts),
// every unit to be placed anew; most buildings are nearly full, a few have room, some are on offer.
// Built and solved in-process (model building + HiGHS), as the API does in its worker thread.
import { DEFAULT_RULES, DEFAULT_WEIGHTS, type PlacementInstance } from '../server/planning/placement-model.js';
import { solvePlacement } from '../server/planning/placement.js';
import { solveInProcess } from '../server/services/highs-solver.js';

export function placementInstance(units = 200, sites = 500, teams = 40, seed = 7): PlacementInstance {
  let rng = seed;
  const rand = () => {
    rng = (rng * 1103515245 + 12345) % 2147483648;
    return rng / 2147483648;
  };
  const districtOf = (x: number, y: number) => Math.floor(x / 2.5) + 4 * Math.floor(y / 5); // 4 × 2 districts
  const pos = Array.from({ length: sites }, () => ({ x: rand() * 10, y: rand() * 10 }));
  const siteList = pos.map((p, j) => {
    const r = rand();
    const candidate = r < 0.05;
    const free = candidate ? 20 + Math.floor(rand() * 60) : r < 0.15 ? 10 + Math.floor(rand() * 30) : Math.floor(rand() * 8);
    return {
      id: j + 1,
      name: `S${j + 1}`,
      free,
      available: true,
      free_at_date: free,
      available_at_date: true,
      free_if_available: free,
      step_free: rand() < 0.6,
      candidate,
    };
  });
  const teamList = Array.from({ length: teams }, (_, t) => {
    const central = t % 8 === 7;
    const district = t % 8;
    // distance (km) from a site to the district's rectangle
    const [x0, y0] = [(district % 4) * 2.5, Math.floor(district / 4) * 5];
    const km = Object.fromEntries(
      pos.map((p, j) => {
        const dx = Math.max(x0 - p.x, 0, p.x - (x0 + 2.5));
        const dy = Math.max(y0 - p.y, 0, p.y - (y0 + 5));
        return [j + 1, districtOf(p.x, p.y) === district ? 0 : Math.round(Math.hypot(dx, dy) * 100) / 100];
      }),
    );
    return {
      id: t + 1,
      name: `T${t + 1}`,
      district_id: central ? null : district + 1,
      district_name: central ? null : `D${district + 1}`,
      fixed_site_ids: [],
      km_outside: central ? {} : km,
    };
  });
  const unitList = Array.from({ length: units }, (_, i) => {
    const team = teamList[i % teams];
    const headcount = 2 + Math.floor(rand() * 24);
    const desk = rand() < 0.3 ? 0.8 : 1;
    // today the unit sits in a site of its district (its own places count as free for the re-plan)
    const homes = siteList.filter((s) => !s.candidate && (team.district_id === null || team.km_outside[s.id] === 0));
    const home = homes[Math.floor(rand() * homes.length)];
    home.free += Math.ceil(headcount * desk);
    home.free_at_date = home.free;
    home.free_if_available = home.free;
    return {
      id: i + 1,
      name: `U${i + 1}`,
      team_id: team.id,
      headcount,
      desk_ratio: desk,
      public_facing: rand() < 0.3,
      current: [{ site_id: home.id, headcount }],
    };
  });
  return { units: unitList, sites: siteList, teams: teamList };
}

export async function placementCase(timeLimitS = 10): Promise<{ first_ms: number; three_ms: number; status: string; proposals: number; columns: number }> {
  const instance = placementInstance();
  const opts = { rules: DEFAULT_RULES, weights: DEFAULT_WEIGHTS, timeLimitS, now: () => performance.now() };
  await solveInProcess('Minimize\n obj: + x\nSubject To\n c: + x >= 0\nEnd\n', { timeLimitS: 1 }); // load the WebAssembly once
  let t = performance.now();
  const one = await solvePlacement(instance, solveInProcess, { ...opts, proposals: 1 });
  const first = performance.now() - t;
  t = performance.now();
  const three = await solvePlacement(instance, solveInProcess, { ...opts, proposals: 3 });
  const all = performance.now() - t;
  return {
    first_ms: Math.round(first),
    three_ms: Math.round(all),
    status: `${one.status}/${three.status}`,
    proposals: three.proposals.length,
    columns: one.columns,
  };
}

if (process.argv[1]?.endsWith('placement-case.ts')) {
  placementCase()
    .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
