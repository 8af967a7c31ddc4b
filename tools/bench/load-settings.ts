import { CpuMeter } from './cpu-share';

/** How hard and how long one measurement drives its target (a scenario or a reference). */
export interface LoadSettings {
  connections: number;
  durationS: number;
  warmupS: number;
  cpu?: CpuMeter;
  /** When the measured run starts, after the warm-up (memory is sampled here: the warm RSS). */
  onMeasureStart?: () => void;
}
