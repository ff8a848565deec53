import type { Db } from '../db';
import type { Role, UnitKind } from '../db/schema';
import { hashPassword } from '../auth/password';
import { insertMember } from '../org/members';
import signIns from './sign-ins.json';

// A deterministic demo organization: the same units, members and login ids on every machine, so the README,
// the tests and a person trying the app all speak of the same people. Names are invented.

type DemoUnit = { key: string; name: string; kind: UnitKind; parent: string | null };
type DemoMember = { loginId: string; name: string; unit: string; roles: Role[]; title: string; leader: boolean };

const units: DemoUnit[] = [
	{ key: 'root', name: '某县教育工委', kind: 'committee', parent: null },
	{ key: 'zx', name: '县第一中学党总支', kind: 'general_branch', parent: 'root' },
	{ key: 'zx1', name: '第一中学教师第一支部', kind: 'branch', parent: 'zx' },
	{ key: 'zx2', name: '第一中学教师第二支部', kind: 'branch', parent: 'zx' },
	{ key: 'xx', name: '县实验小学党支部', kind: 'branch', parent: 'root' },
	{ key: 'jg', name: '县教育局机关党支部', kind: 'branch', parent: 'root' }
];

const givenNames = [
	'王建国', '李秀英', '张伟', '刘洋', '陈静', '杨帆', '赵磊', '黄丽', '周敏', '吴强',
	'徐丹', '孙杰', '胡芳', '朱琳', '高峰', '林晓', '何平', '郭涛', '马骏', '罗燕',
	'梁宇', '宋佳', '郑浩', '谢婷', '韩冰', '唐亮', '冯雪', '于洋', '董明', '萧然',
	'程红', '曹军', '袁媛', '邓超', '许晴', '傅勇'
];

/** 36 members in four branches: a secretary each, five leaders, and the rest members. */
function demoMembers(): DemoMember[] {
	const plan: { unit: string; prefix: number; people: { title: string; roles?: Role[]; leader?: boolean }[] }[] = [
		{
			unit: 'zx1',
			prefix: 11,
			people: [
				{ title: '支部书记', roles: ['secretary'] },
				{ title: '校长', leader: true },
				{ title: '党总支书记', leader: true },
				...Array(6).fill({ title: '教师' })
			]
		},
		{ unit: 'zx2', prefix: 12, people: [{ title: '支部书记', roles: ['secretary'] }, { title: '副校长', leader: true }, ...Array(7).fill({ title: '教师' })] },
		{ unit: 'xx', prefix: 13, people: [{ title: '支部书记', roles: ['secretary'] }, { title: '校长', leader: true }, ...Array(7).fill({ title: '教师' })] },
		{ unit: 'jg', prefix: 14, people: [{ title: '支部书记', roles: ['secretary'] }, { title: '局长', leader: true }, ...Array(7).fill({ title: '干部' })] }
	];
	const members: DemoMember[] = [];
	let n = 0;
	for (const branch of plan) {
		branch.people.forEach((person, i) => {
			members.push({
				loginId: `${branch.prefix}${String(i + 1).padStart(2, '0')}`,
				name: givenNames[n++ % givenNames.length] ?? `成员${n}`,
				unit: branch.unit,
				roles: ['member', ...(person.roles ?? [])],
				title: person.title,
				leader: person.leader ?? false
			});
		});
	}
	// One member signs in with a phone number, as many teachers do.
	const last = members[members.length - 1];
	if (last) last.loginId = '13800000001';
	return members;
}

// A JSON file of its own, because `npm run serve` (src/cli/serve.js, plain JavaScript beside the build) prints the
// same sign-ins when the server is ready.
export const demoSignIns: Readonly<typeof signIns> = signIns;

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
	const row = await db.selectFrom('unit').select('id').limit(1).executeTakeFirst();
	return row === undefined;
}

/** Writes the demo organization into an empty database; refuses a database that already has units. */
export async function seedDemo(db: Db, password: string, now = Date.now()): Promise<{ units: number; members: number }> {
	const passwordHash = await hashPassword(password);
	const members = demoMembers();
	return db.transaction().execute(async (trx) => {
		if (!(await isDatabaseEmpty(trx))) throw new Error('the database already has an organization; the demo goes only into an empty one');
		const ids = new Map<string, number>();
		for (const [i, unit] of units.entries()) {
			const row = await trx
				.insertInto('unit')
				.values({
					name: unit.name,
					kind: unit.kind,
					parent_id: unit.parent ? (ids.get(unit.parent) ?? null) : null,
					sort_order: i,
					archived_at: null,
					created_at: now
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			ids.set(unit.key, row.id);
		}
		const all: DemoMember[] = [
			{ loginId: 'admin', name: '县教育工委管理员', unit: 'root', roles: ['member', 'committee'], title: '组织委员', leader: false },
			...members
		];
		for (const m of all) {
			await insertMember(
				trx,
				{
					loginId: m.loginId,
					name: m.name,
					unitId: ids.get(m.unit) ?? 0,
					positionTitle: m.title,
					isLeader: m.leader,
					roles: m.roles,
					status: 'active',
					passwordHash,
					// Demo accounts are for trying the app at once; a forced change would get in the way.
					mustChangePassword: false
				},
				now
			);
		}
		return { units: units.length, members: all.length };
	});
}
