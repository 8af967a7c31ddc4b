/** What every service answers on its `<service>.system.ping` subject. */
export interface PingResponse {
  service: string;
  replica: string;
  pid: number;
  time: string;
}
