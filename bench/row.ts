export interface Row {
  name: string;
  value: number;
  unit: string;
  target?: string;
}
