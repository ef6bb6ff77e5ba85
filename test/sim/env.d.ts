declare global {
  namespace Cloudflare {
    interface Env {
      SIM_SEEDS: string;
      SIM_STEPS: string;
      SIM_REPLAY: string;
      SIM_SHRINK_SECONDS: string;
      SIM_WITHOUT: string;
    }
  }
}

export {};
