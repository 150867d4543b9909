import { propagate } from '../graph/propagate.js';
import { loadMap } from '../map/load.js';

export async function validateCommand(paths: string[]): Promise<number> {
  const map = loadMap(paths);
  const phi = propagate(map);
  const files = map.files.length;
  process.stdout.write(
    `ok: ${files} file${files === 1 ? '' : 's'}, ${map.nodes.size} nodes, ${map.flows.length} flows; PHI reaches ${phi.phiHolders.length} nodes\n`,
  );
  return 0;
}
