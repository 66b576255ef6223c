// The part of @sealsystems/ipp (IPP/2.0 client, MIT) used by the CUPS spooler.
declare module '@sealsystems/ipp' {
  export type IppGroup = Record<string, unknown>;
  export interface IppMessage {
    'operation-attributes-tag'?: IppGroup;
    'job-attributes-tag'?: IppGroup;
    data?: Buffer;
  }
  export interface IppResponse {
    version: string;
    statusCode: string;
    id: number;
    'operation-attributes-tag'?: IppGroup;
    'job-attributes-tag'?: IppGroup | IppGroup[];
    'printer-attributes-tag'?: IppGroup | IppGroup[];
  }
  export interface IppPrinter {
    execute(operation: string, message: IppMessage, callback: (error: Error | null, response: IppResponse) => void): void;
  }
  export function Printer(url: string, options?: { uri?: string; version?: string; charset?: string; language?: string }): IppPrinter;
}
