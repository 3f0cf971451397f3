/** The sample's records. */
export interface User {
  id: string;
  email: string;
  createdAt: string;
}

export interface Video {
  id: string;
  title: string;
  status: 'uploaded' | 'transcoding' | 'ready';
  renditions: string[];
}

export interface EventRecord {
  id: string;
  name: string;
  participants: number;
  updatedAt: string;
}

export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  body: string;
  sentAt: string;
}

export interface Report {
  id: string;
  kind: 'hourly';
  users: number;
  videos: number;
  createdAt: string;
}
