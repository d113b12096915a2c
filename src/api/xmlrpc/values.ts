// The values XML-RPC carries, as tend holds them. Integers and doubles are both numbers (the
// encoder writes an integral number as <int>, anything else as <double>); structs are
// null-prototype records so a member named `__proto__` is just a member; base64 arrives as the
// UTF-8 string it encodes, as supervisord's decoder gives it to its methods.

export type XmlRpcValue = string | number | boolean | null | Date | readonly XmlRpcValue[] | XmlRpcStruct;

export interface XmlRpcStruct {
  readonly [member: string]: XmlRpcValue;
}

export interface XmlRpcCall {
  readonly method: string;
  readonly params: readonly XmlRpcValue[];
}

export interface XmlRpcFault {
  readonly faultCode: number;
  readonly faultString: string;
}

/** A struct built from entries, safe against prototype keys. */
export const struct = (entries: Iterable<readonly [string, XmlRpcValue]>): XmlRpcStruct => {
  const out = Object.create(null) as Record<string, XmlRpcValue>;
  for (const [key, value] of entries) out[key] = value;
  return out;
};

export const isStruct = (value: XmlRpcValue): value is XmlRpcStruct =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
